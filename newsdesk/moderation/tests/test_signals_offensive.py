"""Offensive language: the shipped profanity model, computed fast."""

import pytest
from profanity_check import predict_prob

from newsdesk.moderation.signals import offensive

TEXTS = [
    "you are a worthless idiot",
    "the council approved the budget on Tuesday",
    "what a load of bollocks",
    "f u c k this",
    "",
]


def test_fast_probabilities_equal_the_package_own_prediction():
    ours = offensive.profanity_probabilities(TEXTS)
    theirs = list(predict_prob(TEXTS))
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_swearing_scores_high_and_plain_news_low(score):
    assert score(offensive, "Shut your fucking mouth").score > 0.9
    assert score(offensive, "The bridge reopens on Monday after repairs.").score < 0.2
