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


migration_0009 = importlib.import_module(
    "newsdesk.moderation.migrations.0009_combined_hold_recalibrated"
)


def test_combined_hold_old_default_moves_and_a_chosen_one_stays():
    settings = ModerationSettings.load()
    ModerationSettings.objects.filter(pk=settings.pk).update(combined_hold=0.75)
    migration_0009.default_forwards(apps, None)
    settings.refresh_from_db()
    assert settings.combined_hold == 0.7
    migration_0009.default_backwards(apps, None)
    settings.refresh_from_db()
    assert settings.combined_hold == 0.75

    ModerationSettings.objects.filter(pk=settings.pk).update(combined_hold=0.82)
    migration_0009.default_forwards(apps, None)
    settings.refresh_from_db()
    assert settings.combined_hold == 0.82


migration_0010 = importlib.import_module(
    "newsdesk.moderation.migrations.0010_onnx_hold_through_combined"
)


def test_onnx_hold_old_default_moves_and_a_chosen_one_stays():
    settings = ModerationSettings.load()
    ModerationSettings.objects.filter(pk=settings.pk).update(onnx_hold=0.5)
    migration_0010.default_forwards(apps, None)
    settings.refresh_from_db()
    assert settings.onnx_hold == 1.0
    migration_0010.default_backwards(apps, None)
    settings.refresh_from_db()
    assert settings.onnx_hold == 0.5

    ModerationSettings.objects.filter(pk=settings.pk).update(onnx_hold=0.9)
    migration_0010.default_forwards(apps, None)
    settings.refresh_from_db()
    assert settings.onnx_hold == 0.9
