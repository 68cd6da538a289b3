"""The evaluation protocols: what each holds out, the command, the report in the admin."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from newsdesk.moderation import protocols
from newsdesk.moderation.labelled import LabelledExample
from newsdesk.moderation.models import EvaluationReport
from newsdesk.moderation.services import evaluation as evaluation_service

from .test_stacking import SMALL

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_groups(monkeypatch):
    """The small world's groups (four comments each) are big enough to hold out."""
    monkeypatch.setattr(protocols, "MIN_GROUP", 2)


EXAMPLES = [LabelledExample(e.text, e.label, e.group or "none", "form-" + e.label) for e in SMALL]
INDEPENDENT = [
    LabelledExample("albanians are vermin, drive them out", "hate", "nationality"),
    LabelledExample("the bridge reopens on monday after repairs", "ok", "none"),
    LabelledExample("cheap pills at pillshop.example.xyz, order now", "spam", "none"),
]


@pytest.fixture
def trained(monkeypatch):
    """Every training the protocols ask for, as the texts it was given."""
    seen = []
    real = protocols._train

    def spy(examples, *, decided=()):
        seen.append({e.text for e in [*examples, *decided]})
        return real(examples, decided=decided)

    monkeypatch.setattr(protocols, "_train", spy)
    return seen


def test_leave_one_target_out_never_trains_on_the_target_it_tests(trained):
    result = protocols.leave_one_out(EXAMPLES, key="target")
    assert sorted(result.groups) == ["migrants", "nationality"]  # "none" is not a group
    for texts, group in zip(trained, sorted(result.groups), strict=True):
        tested = {e.text for e in EXAMPLES if e.target == group}
        assert not texts & tested
        assert result.groups[group].n == len(tested)
    pooled = result.pooled
    assert pooled.n == sum(e.target in ("migrants", "nationality") for e in EXAMPLES)
    assert set(result.summary()) == {"pooled", "groups", "sweep"}


def test_a_group_too_small_is_not_held_out_alone():
    few = [*EXAMPLES, LabelledExample("a lone remark", "ok", "religion")]
    assert protocols.held_out_groups(few, key="target") == ["migrants", "nationality"]


def test_moderators_decisions_are_learned_and_tested_on_the_rest(trained):
    without, learned = protocols.moderators_gain(EXAMPLES, groups=["migrants"])
    held = {e.text for e in EXAMPLES if e.target == "migrants"}
    rest_only, with_decided = trained
    assert not rest_only & held
    decided = with_decided & held
    assert len(decided) == max(1, len(held) // 5)  # a fifth, at least one
    tested = len(held) - len(decided)
    assert without.groups["migrants"].n == learned.groups["migrants"].n == tested


def test_the_command_runs_the_protocols_stores_and_prints_them(monkeypatch):
    monkeypatch.setattr(evaluation_service, "labelled_training_examples", lambda: EXAMPLES)
    monkeypatch.setattr(evaluation_service, "labelled_examples_read", lambda path: INDEPENDENT)
    out, err = StringIO(), StringIO()
    call_command("moderation_eval", protocols="random,target,independent", stdout=out, stderr=err)
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert set(figures) == {"random", "target", "independent"}
    assert figures["independent"]["pooled"]["n"] == 3
    assert set(figures["target"]["groups"]) == {"migrants", "nationality"}
    assert "holding out migrants" in err.getvalue()
    report = EvaluationReport.objects.get()
    assert report.figures == figures and report.example_count == len(EXAMPLES)
    # Each protocol keeps its sweep; at the site's own hold score it is the measure itself.
    sweep = {row["threshold"]: row for row in figures["independent"]["sweep"]}
    assert sweep[0.7]["false_hold_rate"] == figures["independent"]["pooled"]["false_hold_rate"]
    assert sweep[0.7]["caught"] == figures["independent"]["pooled"]["caught"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "either a labelled FILE or --protocols"),
        ({"file": "x.csv", "protocols": "random"}, "either a labelled FILE or --protocols"),
        ({"protocols": "random,guesswork"}, "unknown protocol"),
    ],
)
def test_the_command_refuses_what_it_cannot_do(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("moderation_eval", **options)
    assert not EvaluationReport.objects.exists()


def test_the_admin_shows_the_newest_report_and_queues_a_new_one(
    client, moderator, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from newsdesk.moderation.tasks import evaluation_report_make

    url = reverse("moderation_retrain")
    client.force_login(moderator)
    page = client.get(url)
    assert page.status_code == 200
    assert b"No evaluation yet" in page.content
    EvaluationReport.objects.create(
        data_fingerprint="x",
        example_count=3393,
        figures={
            "target": {
                "pooled": {
                    "n": 1200,
                    "false_hold_rate": 0.031,
                    "caught": {"spam": None, "abuse": None, "hate": 0.905},
                },
                "groups": {
                    "women": {
                        "n": 200,
                        "false_hold_rate": 0.02,
                        "caught": {"spam": None, "abuse": None, "hate": 0.9},
                    },
                    "lgbtq": {
                        "n": 190,
                        "false_hold_rate": 0.0,
                        "caught": {"spam": None, "abuse": None, "hate": 0.95},
                    },
                },
            }
        },
    )
    page = client.get(url).content.decode()
    assert "Leave one target out" in page and "90.5 %" in page and "3.1 %" in page
    assert "women" in page and "lgbtq" in page and "3393" in page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"action": "evaluate"})
    assert response.status_code == 302
    assert callbacks == [evaluation_report_make.enqueue]


def test_the_admin_shows_what_other_combined_hold_scores_would_do(client, moderator):
    from django.urls import reverse

    from newsdesk.moderation.models import ModerationSettings

    settings = ModerationSettings.load()
    settings.combined_hold = 0.65
    settings.save()
    row = {
        "threshold": 0.65,
        "false_hold_rate": 0.071,
        "caught": {"spam": None, "abuse": None, "hate": 0.802},
    }
    other = {
        "threshold": 0.8,
        "false_hold_rate": 0.043,
        "caught": {"spam": None, "abuse": None, "hate": 0.701},
    }
    pooled = {
        "n": 10,
        "false_hold_rate": 0.071,
        "caught": {"spam": None, "abuse": None, "hate": 0.802},
    }
    EvaluationReport.objects.create(
        data_fingerprint="x",
        example_count=10,
        figures={
            "target": {"pooled": pooled, "groups": {}, "sweep": [row, other]},
            "form": {"pooled": pooled, "groups": {}, "sweep": [row]},
        },
    )
    client.force_login(moderator)
    page = client.get(reverse("moderation_retrain")).content.decode()
    assert page.count("data-evaluation-sweep") == 1  # target only: form is not swept here
    assert page.count('data-current="true"') == 1
    current = page.split('data-current="true"', 1)[1].split("</tr>", 1)[0]
    assert "0.65" in current and "80.2 %" in current and "7.1 %" in current
    assert "0.80" in page and "70.1 %" in page
