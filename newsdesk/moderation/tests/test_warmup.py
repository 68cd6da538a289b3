"""A web process warms its comment scorer in the background, then freezes its heap."""

import gc

from newsdesk.moderation import warmup


def test_the_heap_is_frozen_once_the_scorer_is_warm(monkeypatch):
    gc.unfreeze()
    seen = []
    # The warming itself (scikit-learn, the models) is covered by the scoring tests; here,
    # what follows it.
    monkeypatch.setattr(warmup, "scorer_warm", lambda: seen.append(gc.get_freeze_count()))
    try:
        warmup.scorer_warm_in_background().join(timeout=60)
        assert seen == [0], "the heap was frozen before the scorer was warm"
        frozen = gc.get_freeze_count()
        # Everything alive then, not just a few objects: what a full collection would walk.
        assert frozen > len(gc.get_objects()) / 2
    finally:
        gc.unfreeze()
