"""The independent signals every comment is scored by.

Each module has ``NAME``, ``LABEL`` (as shown to editors), ``enabled()`` (False when what
it needs is not configured: it is then skipped) and ``score_many(prepared)`` → one
``SignalResult`` per comment (0..1 and a reason). They run in this order; later ones reuse
what earlier ones computed (``PreparedComment.memo``), and ``combined`` weighs all the others.
"""

from newsdesk.moderation.signals import (
    abuse,
    combined,
    hate,
    learned,
    offensive,
    onnx,
    semantic,
    spam,
)
from newsdesk.moderation.signals.base import PreparedComment, SignalResult, prepare

SIGNALS = (offensive, hate, abuse, spam, learned, semantic, onnx, combined)
SIGNAL_NAMES = tuple(module.NAME for module in SIGNALS)
SIGNAL_LABELS = {module.NAME: module.LABEL for module in SIGNALS}

__all__ = [
    "SIGNALS",
    "SIGNAL_LABELS",
    "SIGNAL_NAMES",
    "PreparedComment",
    "SignalResult",
    "prepare",
    "signals_enabled",
    "signals_run",
]


def signals_run(prepared: list[PreparedComment], *, bundle=None) -> list[list[SignalResult]]:
    """Every signal's result for every comment: ``[comment][signal]``, batched per signal.

    ``bundle`` (a ``stacking.ModelBundle``) replaces the site's current models: how the
    evaluation protocols score with a model trained without the texts they test.
    """
    learned.class_probabilities_fill(prepared, bundle)
    offensive.profanity_fill(prepared)
    active = signals_enabled()
    by_signal = [module.score_many(prepared) for module in active if module is not combined]
    for index, item in enumerate(prepared):
        # The stacker learned from texts alone: it weighs what the content earns, not how
        # fast or how often it was sent (the policy weighs that, with the commenter's standing).
        item.memo["scores"] = {
            results[index].signal: results[index].text_score for results in by_signal
        }
    if combined in active:
        by_signal.append(combined.score_many(prepared))
    return [list(row) for row in zip(*by_signal, strict=True)]


def signals_enabled() -> list:
    """The signal modules that run now (``enabled()`` True, or no such function)."""
    return [module for module in SIGNALS if getattr(module, "enabled", _always)()]


def _always() -> bool:
    return True
