"""Abuse aimed at people, told apart from fierce criticism of people in power."""

import pytest

from newsdesk.moderation.signals import abuse

HOLD = 0.5


@pytest.mark.parametrize(
    "body",
    [
        "You are an idiot and everybody here knows it.",
        "Shut up, you clueless moron.",
        "ur a pathetic l0ser",
        "The reporter who wrote this is a brainless hack.",
        "Nobody asked for your opinion, go back to your basement.",
    ],
)
def test_insults_aimed_at_a_reader_or_the_writer_are_caught(score, body):
    assert score(abuse, body).score >= HOLD


@pytest.mark.parametrize(
    "body",
    [
        "I will find you, and then we will talk properly.",
        "I know where you live. Think about that.",
        "Someone should string up the minister from the nearest tree. Hang him.",
        "Go kill yourself.",
    ],
)
def test_threats_are_caught_and_severe(score, body):
    result = score(abuse, body)
    assert result.score >= 0.85
    assert result.severe


@pytest.mark.parametrize(
    "body",
    [
        "The president is a corrupt liar and a coward, and history will judge him for it.",
        "This government is a gang of incompetent, lying crooks.",
        "The prime minister is an idiot whose budget will ruin us all.",
        "What a pathetic excuse for a health minister.",
        "The plan is stupid and the cabinet knows it.",
        "You are wrong about the tariffs; the steel jobs went before them, not after.",
        "Kill the bill! March on Saturday.",
        "I find your argument about the deficit convincing.",
    ],
)
def test_fierce_criticism_of_public_figures_and_civil_disagreement_stay_published(score, body):
    assert score(abuse, body).score < HOLD
