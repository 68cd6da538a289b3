"""Writers' habits: words far more common in a harmful label's rows than in ok rows."""

import io

import pytest
from django.core.management import CommandError, call_command

from newsdesk.moderation.habits import LabelledRow, skewed_words_find
from newsdesk.moderation.labelled import LabelledExample


def _rows(source: str, label: str, texts: list[str]) -> list[LabelledRow]:
    return [LabelledRow(LabelledExample(text, label), source) for text in texts]


OK_ROWS = _rows(
    "ok.csv",
    "ok",
    [f"The council should publish report number {n} before the vote." for n in range(40)],
)


def test_a_word_the_abuse_writer_uses_and_ok_writers_do_not_is_found_with_its_file():
    habit = _rows(
        "new.csv", "abuse", [f"You must resign today, clown number {n}." for n in range(10)]
    )
    found = skewed_words_find(rows=[*OK_ROWS, *habit])
    words = {skewed.word: skewed for skewed in found}
    assert "must" in words
    assert words["must"].label == "abuse"
    assert words["must"].main_source == "new.csv"
    assert words["must"].share == 1.0
    assert words["must"].ok_share == pytest.approx(1 / 41)
    # Words the ok rows use as often are no habit: "number" is in every row of both.
    assert "number" not in words


def test_only_the_named_files_harmful_rows_are_examined():
    old = _rows("old.csv", "abuse", [f"Resign now, fraud {n}." for n in range(10)])
    new = _rows("new.csv", "hate", [f"They must always leave, all {n} of them." for n in range(10)])
    found = skewed_words_find(rows=[*OK_ROWS, *old, *new], sources=["new.csv"])
    assert {skewed.label for skewed in found} == {"hate"}
    assert "fraud" not in {skewed.word for skewed in found}


def test_the_thresholds_decide_what_is_skewed_enough():
    many_ok = OK_ROWS * 10  # 400 ok rows: a word none of them uses has an ok share of 1/401
    spam = _rows("new.csv", "spam", ["Casino bonus"] * 2 + ["Great deals"] * 98)
    rows = [*many_ok, *spam]
    # "casino": in 2 % of the spam rows, 8 times its smoothed ok share.
    assert "casino" not in {s.word for s in skewed_words_find(rows=rows)}
    assert "casino" in {s.word for s in skewed_words_find(rows=rows, min_share=0.02)}
    assert "casino" not in {
        s.word for s in skewed_words_find(rows=rows, min_share=0.02, min_ratio=9)
    }


def test_the_command_lists_a_new_files_habit(tmp_path):
    new = tmp_path / "threats_new.csv"
    new.write_text(
        "text,label\n" + "".join(f'"You must stop posting, coward {n}.",abuse\n' for n in range(30))
    )
    out = io.StringIO()
    call_command("moderation_data_check", str(new), stdout=out)
    lines = out.getvalue().splitlines()
    must = next(line for line in lines if line.split()[:2] == ["abuse", "must"])
    assert must.endswith("threats_new.csv")


def test_the_command_says_so_when_nothing_is_skewed(tmp_path):
    new = tmp_path / "ok_only.csv"
    new.write_text("text,label\nThe bridge reopens on Monday.,ok\n")
    out = io.StringIO()
    call_command("moderation_data_check", str(new), stdout=out)
    assert out.getvalue().startswith("No word of ok_only.csv's harmful rows")


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("text,label\nHello,nonsense\n", [], "label 'nonsense' is not one of"),
        ("text,label\nHello,ok\n", ["--min-share", "0"], "--min-share must be in"),
        ("text,label\nHello,ok\n", ["--min-ratio", "1"], "--min-ratio above 1"),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path, content, args, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("moderation_data_check", str(path), *args)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.csv"):
        call_command("moderation_data_check", str(tmp_path / "missing.csv"))
