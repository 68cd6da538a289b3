"""Identity-based hate: slurs through obfuscation, tropes, dehumanizing language, and
the hard cases that must stay published."""

import pytest

from newsdesk.moderation import terms
from newsdesk.moderation.signals import hate

HOLD = 0.5


@pytest.mark.parametrize(
    "body",
    [
        "Typical k1kes, always lying about everything.",
        "Nobody wants these f @ g g 0 t s near our school.",
        "Bloody n\u0456gg\u0435rs took over the estate.",  # Cyrillic lookalikes
        "Those wetbaaacks are at it again.",
        "the t.r.a.n.n.i.e.s are ruining sport",
    ],
)
def test_obfuscated_slurs_are_caught(score, body):
    result = score(hate, body)
    assert result.score >= 0.9
    assert "used" in result.reason


def test_reasons_never_spell_a_slur_out(score):
    result = score(hate, "Get the kikes and the faggots out of here.")
    assert result.score >= 0.9
    for slur in terms.slurs():
        assert slur.term not in result.reason.lower()
    assert "k***" in result.reason


def test_a_slur_quoted_to_condemn_it_is_not_held(score):
    result = score(
        hate,
        "A man shouted 'k*ke' at a rabbi outside the station. That is antisemitic abuse "
        "and the police should treat it as a hate crime.",
    )
    assert result.score < HOLD
    assert "quoted or reported" in result.reason


def test_a_quoted_slur_without_condemnation_is_held_not_cleared(score):
    result = score(hate, 'He keeps calling his neighbours "p@kis".')
    assert HOLD <= result.score < 0.9


@pytest.mark.parametrize(
    "body",
    [
        "Zionists run the media and the banks, that is why the news is all lies.",
        "The holocaust is a hoax invented for money.",
        "It is the great replacement, plain and simple.",
        "Somalis are savages and always will be.",
        "Migrants are rats swarming over the fence.",
        "Deport every single Muslim and shut the mosques.",
        "Gays should be locked up, all of them.",
    ],
)
def test_hate_without_slurs_is_caught(score, body):
    assert score(hate, body).score >= HOLD


@pytest.mark.parametrize(
    "body",
    [
        "Jewish and Muslim charities opened a shelter together for the flood victims.",
        "Immigrants founded a quarter of the firms in the new business register.",
        "Black voters turned out in record numbers in the southern districts.",
        "The LGBT centre lost its funding when the council cut the grants.",
        "Jews were barred from the professions under the 1935 laws.",
        "Comparing refugees to rats, as the minister did, is dehumanizing and he must apologise.",
        "I think immigration should be lower, and I say so without hating anyone.",
        "We should deport illegal immigrants who commit crimes, after a fair hearing.",
        "Chinks of light are appearing in the talks, said the envoy.",
        "The negotiators found a chink in the armour of the treaty.",
    ],
)
def test_groups_named_neutrally_and_condemnation_stay_below_the_hold(score, body):
    assert score(hate, body).score < HOLD
