"""Migrations 0005, 0009 and 0010: a site still on the old hold scores moves to the new defaults;
one whose editors chose their own keeps them; the reverse gives the old ones back."""

import importlib

import pytest
from django.apps import apps

from newsdesk.moderation.models import ModerationSettings

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "newsdesk.moderation.migrations.0005_trust_levels_meaning_and_evaluation"
)


def test_untouched_old_defaults_move_and_chosen_scores_stay():
    settings = ModerationSettings.load()
    ModerationSettings.objects.filter(pk=settings.pk).update(
        hate_hold=0.5, abuse_hold=0.5, spam_hold=0.5, learned_hold=0.85
    )
    migration.defaults_forwards(apps, None)
    settings.refresh_from_db()
    assert (settings.hate_hold, settings.abuse_hold, settings.spam_hold, settings.learned_hold) == (
        0.7,
        0.7,
        0.6,
        0.95,
    )
    migration.defaults_backwards(apps, None)
    settings.refresh_from_db()
    assert (settings.hate_hold, settings.spam_hold, settings.learned_hold) == (0.5, 0.5, 0.85)

    ModerationSettings.objects.filter(pk=settings.pk).update(hate_hold=0.42, spam_hold=0.8)
    migration.defaults_forwards(apps, None)
    settings.refresh_from_db()
    assert (settings.hate_hold, settings.spam_hold, settings.abuse_hold) == (0.42, 0.8, 0.7)


@pytest.mark.parametrize(
    ("name", "field", "old", "new", "chosen"),
    [
        ("0009_combined_hold_recalibrated", "combined_hold", 0.75, 0.7, 0.82),
        ("0010_onnx_hold_through_combined", "onnx_hold", 0.5, 1.0, 0.9),
    ],
)
def test_a_hold_scores_old_default_moves_and_a_chosen_one_stays(name, field, old, new, chosen):
    moved = importlib.import_module(f"newsdesk.moderation.migrations.{name}")
    settings = ModerationSettings.load()
    rows = ModerationSettings.objects.filter(pk=settings.pk)

    rows.update(**{field: old})
    moved.default_forwards(apps, None)
    assert rows.values_list(field, flat=True).get() == new
    moved.default_backwards(apps, None)
    assert rows.values_list(field, flat=True).get() == old

    rows.update(**{field: chosen})
    moved.default_forwards(apps, None)
    assert rows.values_list(field, flat=True).get() == chosen
