"""What the site has learned: its words model, trained from the labelled set and its
moderators' decisions (``stacking.ModelBundle``; the meaning model and the stacker are the
``semantic`` and ``combined`` signals, read from the same bundle).

The newest ``LearnedModel`` row is used (the retrain task writes one). Until the first
retrain, the starter bundle is trained from the shipped labelled set, once per data digest
on a machine: the first process stores it in ``MODERATION_MODEL_CACHE_DIR`` and the next load
it, so a fresh install scores the same way at once. The score is the probability that the
comment is not ok.
"""

import logging
import threading
import time
from pathlib import Path

from newsdesk.moderation.signals.base import PreparedComment, SignalResult, clamp

NAME = "learned"
LABEL = "The site's learned model"
# Starter files kept in the model cache, the newest first: each release (a change of data or
# code) writes one, so without a limit the folder grows by 5-8 MB a release. A few stay, for
# the processes of the previous release still running during a deploy.
STARTERS_KEPT = 3
# A lock file left without its model this long is a training that was stopped.
ORPHAN_LOCK_SECONDS = 3600

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_loaded: dict[object, object] = {}


def _starter_path() -> Path:
    from sklearn import __version__ as sklearn_version

    from newsdesk.moderation import conf
    from newsdesk.moderation.stacking import BUNDLE_VERSION

    name = f"starter-{_starter_fingerprint()}-v{BUNDLE_VERSION}-sklearn{sklearn_version}"
    return Path(conf.MODEL_CACHE_DIR) / f"{name}.pickle"


def _starter_fingerprint() -> str:
    """A digest of what a starter bundle depends on: the labelled data, the term lists, the
    moderation code that reads them and the ONNX model the stacker weighs, if any (a change
    to any trains a new one: a bundle trained with a model weighs a column that a site
    without it cannot fill, and one trained without it ignores the model)."""
    import hashlib

    from newsdesk.moderation import onnx_model

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    sources = sorted(
        path
        for path in [
            *package.glob("*.py"),
            *package.glob("signals/*.py"),
            *package.rglob("data/**/*"),
        ]
        if path.is_file()
    )
    for path in sources:
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    for path in onnx_model.configured_paths() or ():
        try:
            stat = path.stat()
        except OSError:
            continue  # the start-up check says what is wrong with it
        digest.update(f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def starter_bundle():
    """The bundle trained on the shipped labelled set: from this machine's model cache when
    a process stored it there, else trained now and stored (a file per digest).

    Processes starting together (a server's workers) wait for the first one to train it,
    through a lock file beside it, rather than each training its own."""
    import fcntl

    path = _starter_path()
    bundle = _starter_read(path)
    if bundle is not None:
        return bundle
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path.with_suffix(".lock"), "a+b")  # noqa: SIM115 (held until trained)
    except OSError as error:
        logger.warning("the starter model cannot be cached in %s: %s", path.parent, error)
        return _starter_train()
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        bundle = _starter_read(path)  # another process may have trained it meanwhile
        if bundle is None:
            bundle = _starter_train()
            _starter_write(path, bundle)
            _starters_prune(keep=path)
        return bundle


def _starter_read(path: Path):
    from newsdesk.moderation.learning import deserialize
    from newsdesk.moderation.stacking import ModelBundle

    try:
        bundle = deserialize(path.read_bytes())
    except FileNotFoundError:
        return None
    except Exception:  # a partial or foreign file: train again and replace it
        logger.warning("the cached starter model %s is unreadable; training again", path.name)
        return None
    return bundle if isinstance(bundle, ModelBundle) else None


def _starter_train():
    from newsdesk.moderation.labelled import labelled_training_examples, training_example
    from newsdesk.moderation.stacking import bundle_train

    return bundle_train(
        [training_example(example) for example in labelled_training_examples()], measure=False
    )


def _starter_write(path: Path, bundle) -> None:
    import os
    import tempfile

    from newsdesk.moderation.learning import serialize

    try:
        handle, candidate = tempfile.mkstemp(dir=path.parent, prefix=".starter-")
        with os.fdopen(handle, "wb") as out:
            out.write(serialize(bundle))
        os.replace(candidate, path)  # atomic: a reader sees the whole file or none
    except OSError as error:
        logger.warning("the starter model cannot be cached in %s: %s", path.parent, error)


def _starters_prune(*, keep: Path) -> None:
    """Remove all but the ``STARTERS_KEPT`` newest starter files (``keep`` among them) and
    their lock files, and lock files left without a model for an hour (a training that was
    stopped). A process of an older release that needs a removed one trains it again, as on
    a fresh install."""
    try:
        starters = sorted(
            (path for path in keep.parent.glob("starter-*.pickle") if path != keep),
            key=lambda path: path.stat().st_mtime_ns,
            reverse=True,
        )
        for path in starters[STARTERS_KEPT - 1 :]:
            path.unlink(missing_ok=True)
            path.with_suffix(".lock").unlink(missing_ok=True)
        # A younger lock may be held by a process training its model right now.
        stale = time.time() - ORPHAN_LOCK_SECONDS
        for lock in keep.parent.glob("starter-*.lock"):
            if not lock.with_suffix(".pickle").exists() and lock.stat().st_mtime < stale:
                lock.unlink(missing_ok=True)
    except OSError as error:  # another process pruning at once, a read-only folder
        logger.warning("old starter models in %s were not removed: %s", keep.parent, error)


def current_bundle():
    """The models to use now: the newest stored bundle, else the starter one."""
    from sklearn import __version__ as sklearn_version

    from newsdesk.core.processcache import process_cached
    from newsdesk.moderation.learning import deserialize
    from newsdesk.moderation.models import LearnedModel
    from newsdesk.moderation.selectors import MODERATION_GENERATION
    from newsdesk.moderation.stacking import BUNDLE_VERSION

    newest = process_cached(
        generation=MODERATION_GENERATION,
        key="learned-model",
        load=lambda: (
            LearnedModel.objects.filter(
                sklearn_version=sklearn_version, bundle_version=BUNDLE_VERSION
            )
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        ),
    )
    key = newest or "starter"
    with _lock:
        if key not in _loaded:
            if newest is None:
                bundle = starter_bundle()
            else:
                bundle = deserialize(LearnedModel.objects.get(pk=newest).serialized)
            _loaded.clear()  # keep only the models in use
            _loaded[key] = bundle
        return _loaded[key]


def class_probabilities_fill(prepared: list[PreparedComment], bundle=None) -> None:
    """Compute the words and meaning models' class probabilities of every comment that
    lacks them, in one batch each (``memo["learned"]``, ``memo["semantic"]``)."""
    missing = [item for item in prepared if "learned" not in item.memo]
    if not missing:
        return
    from newsdesk.moderation.embedding import sentence_embeddings
    from newsdesk.moderation.learning import fast_probabilities, linear_probabilities

    bundle = bundle or current_bundle()
    texts = [item.model_text for item in missing]
    words = fast_probabilities(bundle.words, texts)
    meaning = linear_probabilities(bundle.meaning, sentence_embeddings(texts))
    for item, word_row, meaning_row in zip(missing, words, meaning, strict=True):
        item.memo["learned"] = dict(
            zip(bundle.words.classes_, (float(p) for p in word_row), strict=True)
        )
        item.memo["semantic"] = dict(
            zip(bundle.meaning.classes_, (float(p) for p in meaning_row), strict=True)
        )
        item.memo["bundle"] = bundle


def class_probability(prepared: PreparedComment, label: str) -> float:
    class_probabilities_fill([prepared])
    return prepared.memo["learned"].get(label, 0.0)


def probabilities_result(name: str, probabilities: dict[str, float], model: str) -> SignalResult:
    """A model's result: the probability of not ok, and the label it resembles most."""
    not_ok = 1.0 - probabilities.get("ok", 0.0)
    likeliest = max(
        (label for label in probabilities if label != "ok"), key=probabilities.__getitem__
    )
    reason = (
        f"{model} resembles comments labelled {likeliest} ({probabilities[likeliest]:.2f})"
        if not_ok >= 0.5
        else f"{model} resembles published comments ({probabilities.get('ok', 0.0):.2f})"
    )
    return SignalResult(name, clamp(not_ok), reason)


def score(prepared: PreparedComment) -> SignalResult:
    return score_many([prepared])[0]


def score_many(prepared: list[PreparedComment]) -> list[SignalResult]:
    class_probabilities_fill(prepared)
    return [probabilities_result(NAME, item.memo["learned"], "its wording") for item in prepared]
