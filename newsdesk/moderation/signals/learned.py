"""What the site has learned: a classifier trained from its moderators' decisions.

The newest ``LearnedModel`` row is used (the retrain task writes one). Until the first
retrain, a model is trained in memory from the shipped labelled tuning set, so a fresh
install scores the same way. The score is the probability that the comment is not ok.
"""

import logging
import threading

from newsdesk.moderation.signals.base import PreparedComment, SignalResult, clamp

NAME = "learned"
LABEL = "The site's learned model"

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_loaded: dict[object, object] = {}


def _bootstrap_pipeline():
    from newsdesk.moderation.learning import classifier_train
    from newsdesk.moderation.selectors import training_examples_shipped

    return classifier_train(training_examples_shipped(), measure=False).pipeline


def current_pipeline():
    """The classifier to use now: the newest stored one, else the bootstrap one."""
    from sklearn import __version__ as sklearn_version

    from newsdesk.core.processcache import process_cached
    from newsdesk.moderation.learning import deserialize
    from newsdesk.moderation.models import LearnedModel
    from newsdesk.moderation.selectors import MODERATION_GENERATION

    newest = process_cached(
        generation=MODERATION_GENERATION,
        key="learned-model",
        load=lambda: (
            LearnedModel.objects.filter(sklearn_version=sklearn_version)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        ),
    )
    key = newest or "bootstrap"
    with _lock:
        if key not in _loaded:
            if newest is None:
                pipeline = _bootstrap_pipeline()
            else:
                pipeline = deserialize(LearnedModel.objects.get(pk=newest).serialized)
            _loaded.clear()  # keep only the model in use
            _loaded[key] = pipeline
        return _loaded[key]


def class_probabilities_fill(prepared: list[PreparedComment]) -> None:
    """Compute the class probabilities of every comment that lacks them, in one batch."""
    missing = [item for item in prepared if "learned" not in item.memo]
    if not missing:
        return
    from newsdesk.moderation.learning import fast_probabilities

    pipeline = current_pipeline()
    rows = fast_probabilities(pipeline, [item.folded for item in missing])
    for item, row in zip(missing, rows, strict=True):
        item.memo["learned"] = dict(zip(pipeline.classes_, (float(p) for p in row), strict=True))


def class_probability(prepared: PreparedComment, label: str) -> float:
    class_probabilities_fill([prepared])
    return prepared.memo["learned"].get(label, 0.0)


def score(prepared: PreparedComment) -> SignalResult:
    return score_many([prepared])[0]


def score_many(prepared: list[PreparedComment]) -> list[SignalResult]:
    class_probabilities_fill(prepared)
    results = []
    for item in prepared:
        probabilities = item.memo["learned"]
        not_ok = 1.0 - probabilities.get("ok", 0.0)
        likeliest = max(
            (label for label in probabilities if label != "ok"), key=probabilities.__getitem__
        )
        reason = (
            f"resembles comments labelled {likeliest} ({probabilities[likeliest]:.2f})"
            if not_ok >= 0.5
            else f"resembles published comments ({probabilities.get('ok', 0.0):.2f})"
        )
        results.append(SignalResult(NAME, clamp(not_ok), reason))
    return results
