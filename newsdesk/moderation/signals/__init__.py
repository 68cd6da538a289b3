"""The independent signals every comment is scored by.

Each module has ``NAME``, ``LABEL`` (as shown to editors) and ``score_many(prepared)`` →
one ``SignalResult`` per comment (0..1 and a reason). They run in this order; later ones
reuse what earlier ones computed (``PreparedComment.memo``).
"""

from newsdesk.moderation.signals import abuse, hate, learned, offensive, spam
from newsdesk.moderation.signals.base import PreparedComment, SignalResult, prepare

SIGNALS = (offensive, hate, abuse, spam, learned)
SIGNAL_NAMES = tuple(module.NAME for module in SIGNALS)
SIGNAL_LABELS = {module.NAME: module.LABEL for module in SIGNALS}

__all__ = [
    "SIGNALS",
    "SIGNAL_LABELS",
    "SIGNAL_NAMES",
    "PreparedComment",
    "SignalResult",
    "prepare",
    "signals_run",
]


def signals_run(prepared: list[PreparedComment]) -> list[list[SignalResult]]:
    """Every signal's result for every comment: ``[comment][signal]``, batched per signal."""
    learned.class_probabilities_fill(prepared)
    offensive.profanity_fill(prepared)
    by_signal = [module.score_many(prepared) for module in SIGNALS]
    return [list(row) for row in zip(*by_signal, strict=True)]
