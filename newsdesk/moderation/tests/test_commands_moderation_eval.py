"""``manage.py moderation_eval``: output format, bad input, and the held-out targets."""

import json

import pytest
from django.core.management import CommandError, call_command

from newsdesk.moderation.labelled import HOLDOUT_SET

pytestmark = pytest.mark.django_db


def run_eval(path) -> list[str]:
    from io import StringIO

    out = StringIO()
    call_command("moderation_eval", str(path), stdout=out)
    return out.getvalue().strip().splitlines()


def test_prints_a_confusion_table_and_a_json_summary_last(tmp_path):
    labelled = tmp_path / "small.csv"
    labelled.write_text(
        "text,label\n"
        '"The ferry timetable changes next week, according to the port.",ok\n'
        '"Thanks, this explained the treaty better than anything else I read.",ok\n'
        '"Earn $800 a day from home, message me on WhatsApp!",spam\n'
        '"You are a pathetic idiot, shut up.",abuse\n'
        '"Refugees are vermin and should all be sent back.",hate\n',
        encoding="utf-8",
    )
    lines = run_eval(labelled)
    summary = json.loads(lines[-1])
    assert summary == {
        "n": 5,
        "false_hold_rate": 0.0,
        "caught": {"spam": 1.0, "abuse": 1.0, "hate": 1.0},
    }
    table = "\n".join(lines[:-1])
    assert "published" in table and "held" in table and "rejected" in table
    ok_row = next(line for line in lines if line.startswith("ok "))
    assert ok_row.split() == ["ok", "2", "0", "0", "2"]


def test_labels_missing_from_the_file_are_reported_as_null(tmp_path):
    labelled = tmp_path / "only_ok.csv"
    labelled.write_text("text,label\nA calm remark about the weather.,ok\n", encoding="utf-8")
    summary = json.loads(run_eval(labelled)[-1])
    assert summary["caught"] == {"spam": None, "abuse": None, "hate": None}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("body,kind\nhello,ok\n", "header must name the columns text,label"),
        ("text,label\nhello,rude\n", "line 2: label 'rude' is not one of"),
        ("text,label\n", "no rows"),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path, content, message):
    labelled = tmp_path / "bad.csv"
    labelled.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run_eval(labelled)


def test_a_missing_file_gets_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run_eval(tmp_path / "absent.csv")


def test_held_out_targets():
    """On the first wave's random holdout: what it catches."""
    summary = json.loads(run_eval(HOLDOUT_SET)[-1])
    assert summary["n"] >= 150
    assert summary["caught"]["hate"] >= 0.90
    assert summary["caught"]["abuse"] >= 0.90
    assert summary["caught"]["spam"] >= 0.95
    # Its false holds are not a fair measure any more: its writers published insults of
    # politicians ("a stupid, arrogant man") that the training set, as moderation now
    # defines abuse, labels abuse. The independent set below is the honest measure.
    assert summary["false_hold_rate"] <= 0.15


@pytest.mark.slow
def test_the_independent_set_written_apart():
    """Trained on the whole training set, tested on comments written apart and never trained
    on (``protocols.independent_set``): the figures of the README, as a floor."""
    from newsdesk.moderation.labelled import (
        INDEPENDENT_SET,
        labelled_examples_read,
        labelled_training_examples,
    )
    from newsdesk.moderation.protocols import independent_set

    independent = labelled_examples_read(path=INDEPENDENT_SET)
    assert len(independent) >= 300
    summary = independent_set(labelled_training_examples(), independent).pooled.summary()
    assert summary["false_hold_rate"] <= 0.035
    assert summary["caught"]["spam"] >= 0.95
    assert summary["caught"]["hate"] >= 0.85
    assert summary["caught"]["abuse"] >= 0.75


def test_a_sweep_counts_other_signals_holds_at_every_threshold():
    from collections import Counter

    from newsdesk.moderation.evaluation import Evaluation

    evaluation = Evaluation(
        counts=Counter(),
        misses=[],
        scored=[
            ("ok", False, 0.2),
            ("ok", False, 0.72),
            ("ok", True, 0.1),  # held by a term list whatever the combined threshold
            ("ok", False, 0.95),
            ("hate", False, 0.62),
            ("hate", False, 0.88),
            ("hate", True, 0.05),
            ("spam", False, 0.4),
        ],
    )
    rows = {row.threshold: row for row in evaluation.sweep((0.6, 0.7, 0.9))}
    assert rows[0.6].false_hold_rate == 0.75 and rows[0.6].caught["hate"] == 1.0
    assert rows[0.7].false_hold_rate == 0.75 and rows[0.7].caught["hate"] == 0.6667
    assert rows[0.9].false_hold_rate == 0.5 and rows[0.9].caught["hate"] == 0.3333
    assert rows[0.9].caught["spam"] == 0.0 and rows[0.9].caught["abuse"] is None


def test_the_sweep_at_the_current_threshold_is_the_measure_itself():
    """The sweep recounts the same scores: at the editors' combined hold score it must give
    exactly the figures the pipeline's verdicts gave."""
    from newsdesk.moderation.evaluation import labelled_rows_evaluate
    from newsdesk.moderation.labelled import labelled_examples_read
    from newsdesk.moderation.selectors import moderation_settings_get

    rows = [(e.text, e.label) for e in labelled_examples_read(path=HOLDOUT_SET)]
    evaluation = labelled_rows_evaluate(rows)
    current = moderation_settings_get().combined_hold
    (row,) = evaluation.sweep((current,))
    summary = evaluation.summary()
    assert row.false_hold_rate == summary["false_hold_rate"]
    assert row.caught == summary["caught"]
    assert len(evaluation.scored) == len(rows)


def test_the_command_prints_a_sweep_table_when_asked(tmp_path):
    from io import StringIO

    labelled = tmp_path / "small.csv"
    labelled.write_text(
        "text,label\n"
        '"The ferry timetable changes next week, according to the port.",ok\n'
        '"Refugees are vermin and should all be sent back.",hate\n',
        encoding="utf-8",
    )
    out = StringIO()
    call_command("moderation_eval", str(labelled), "--sweep", stdout=out)
    lines = out.getvalue().strip().splitlines()
    sweep = [line for line in lines if line[:4] in ("0.50", "0.70", "0.90")]
    assert len(sweep) == 3
    assert lines[lines.index(sweep[0]) - 1].split()[:3] == ["combined", "ok", "held"]
    assert json.loads(lines[-1])["n"] == 2
