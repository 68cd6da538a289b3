"""The comment gate asks moderation: every comment posted passes the pipeline."""

import pytest

from newsdesk.discussion.pipeline import Verdict, comment_assess
from newsdesk.moderation.signals import signals_enabled

from .conftest import candidate

pytestmark = pytest.mark.django_db


def test_the_gate_scores_with_every_signal_and_explains_itself():
    assessment = comment_assess(
        candidate=candidate("Cheap watches and pills, order now at https://deals.example.xyz")
    )
    assert assessment.verdict == Verdict.HOLD
    # Every signal that is configured: all but the ONNX model, which needs a model file.
    enabled = {module.NAME for module in signals_enabled()}
    assert set(assessment.scores) == enabled
    assert {"learned", "semantic", "combined"} <= enabled and "onnx" not in enabled
    assert assessment.reasons[0].startswith("held: spam")
    assert any(reason.startswith("Spam ") for reason in assessment.reasons)


def test_a_long_factual_comment_is_published():
    body = (
        "For context on the reservoir figures: the gauging station at the border bridge has "
        "published daily flows since 1961. The mean August flow in the last decade is about "
        "a quarter below the 1961-1990 average, and the evaporation loss from the reservoir, "
        "which the basin authority estimates from pan measurements, rose as the surface area "
        "grew. None of this decides who is right about the treaty, but it does mean that a "
        "share of the flow is worth less water every year, which is why a fixed volume was "
        "on the table in the first place."
    )
    assert comment_assess(candidate=candidate(body)).verdict == Verdict.PUBLISH


def test_hate_with_a_trope_and_no_slur_is_held_as_severe():
    assessment = comment_assess(
        candidate=candidate("As always the Jews control the banks and pull the strings.")
    )
    assert assessment.verdict == Verdict.HOLD
    assert assessment.reasons[0].startswith("held (severe): identity-based hate")
