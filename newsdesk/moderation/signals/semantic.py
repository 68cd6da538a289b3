"""Meaning: the site's classifier over sentence embeddings (``embedding.py``), trained with
the words model on the same examples (``stacking.ModelBundle.meaning``).

It recognises what a comment says in words no list and no training example used: a people
compared to vermin or a disease, a wish that a group did not exist, a pitch with a link.
The score is the probability that the comment is not ok.
"""

from newsdesk.moderation.signals import learned
from newsdesk.moderation.signals.base import PreparedComment, SignalResult

NAME = "semantic"
LABEL = "Meaning (sentence embeddings)"


def score_many(prepared: list[PreparedComment]) -> list[SignalResult]:
    learned.class_probabilities_fill(prepared)
    return [
        learned.probabilities_result(NAME, item.memo["semantic"], "its meaning")
        for item in prepared
    ]
