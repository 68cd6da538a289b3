"""A newsroom's own ONNX text classifier (``MODERATION_ONNX_MODEL``), run by onnxruntime.

Off unless the setting names a model (``onnx_model.py`` loads and validates it; a model that
cannot be used stops the start as a system check). The score of a single-label model (one
label is ``ok``) is 1 - P(ok); of a multi-label model, its likeliest label's probability.
The class probabilities stay in ``PreparedComment.memo["onnx"]`` (``{label: probability}``)
for other signals to read.
"""

import logging

from newsdesk.moderation import onnx_model
from newsdesk.moderation.signals.base import PreparedComment, SignalResult, clamp

NAME = "onnx"
LABEL = "The newsroom's ONNX model"

logger = logging.getLogger(__name__)


def enabled() -> bool:
    """True when ``MODERATION_ONNX_MODEL`` names a model."""
    return onnx_model.configured_paths() is not None


def class_probabilities_fill(prepared: list[PreparedComment]) -> None:
    """Put the model's probabilities in the memo of each comment that lacks them, scoring all
    of them in one batch (``onnx_model.probabilities``: one session.run per chunk).

    Raises what loading or running the model raises.
    """
    missing = [item for item in prepared if NAME not in item.memo]
    if not missing:
        return
    classifier = onnx_model.classifier_current()
    if classifier is None:
        return
    rows = onnx_model.probabilities(classifier=classifier, texts=[item.text for item in missing])
    for item, row in zip(missing, rows, strict=True):
        item.memo[NAME] = row


def score_many(prepared: list[PreparedComment]) -> list[SignalResult]:
    """One result per comment.

    If the model fails at scoring time although it passed the start-up check (its file
    vanished before this process loaded it, onnxruntime raised), no reader's post fails: the
    error is logged at ERROR and every comment of the batch scores 0 with the reason "the
    ONNX model failed: ...", so the other signals alone decide.
    """
    try:
        class_probabilities_fill(prepared)
    except Exception as error:
        logger.error("The ONNX model failed on %d comments", len(prepared), exc_info=True)
        reason = f"the ONNX model failed: {onnx_model.error_summary(error)}"
        return [SignalResult(NAME, 0.0, reason) for _ in prepared]
    return [_result(item.memo.get(NAME, {})) for item in prepared]


def _result(probabilities: dict[str, float]) -> SignalResult:
    if not probabilities:
        return SignalResult(NAME, 0.0, "the ONNX model is not configured")
    likeliest = max(probabilities, key=probabilities.__getitem__)
    if onnx_model.OK_LABEL in probabilities:
        score = 1.0 - probabilities[onnx_model.OK_LABEL]
        reason = f"the ONNX model reads it as {likeliest} ({probabilities[likeliest]:.2f})"
    else:
        score = probabilities[likeliest]
        reason = (
            f"the ONNX model reads it as {likeliest} ({score:.2f})"
            if score >= 0.5
            else f"the ONNX model reads it as none of its labels (likeliest: {likeliest} "
            f"{score:.2f})"
        )
    return SignalResult(NAME, clamp(score), reason)
