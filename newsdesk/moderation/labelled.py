"""The labelled comments the app ships: what they are, where they live, how they are read.

Three sets, kept apart on purpose (``data/DATASHEET.md`` says how each was written):
- ``data/labelled_tune.csv`` and ``data/labelled/*.csv``: the training set. The files of
  ``labelled/`` name each comment's *target* (the group or person it is about) and *form*
  (how it is written), so that evaluation can hold out a whole target or form;
- ``data/labelled_holdout.csv``: a random holdout, written by the training set's authors;
- ``data/independent/comments.csv``: written apart from the others by an author who saw none
  of them, never trained on: the figure that predicts a comment section the filter has
  never seen.
A CSV has the header ``text,label`` and optionally ``target`` and ``form``.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from newsdesk.moderation.learning import LABELS, TrainingExample

DATA_DIR = Path(__file__).resolve().parent / "data"
TUNING_SET = DATA_DIR / "labelled_tune.csv"
HOLDOUT_SET = DATA_DIR / "labelled_holdout.csv"
LABELLED_DIR = DATA_DIR / "labelled"
INDEPENDENT_SET = DATA_DIR / "independent" / "comments.csv"
# Rows of files that do not name their target or form.
UNASSIGNED = "unassigned"


class LabelledFileError(ValueError):
    """A labelled CSV that cannot be read: the message says what is wrong and where."""


@dataclass(frozen=True)
class LabelledExample:
    """One labelled comment: its text, label, and the target and form it was written for."""

    text: str
    label: str
    target: str = UNASSIGNED
    form: str = UNASSIGNED


def labelled_examples_read(*, path: Path) -> list[LabelledExample]:
    """Every row of a labelled CSV; LabelledFileError names the file and row at fault."""
    examples = []
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
                raise LabelledFileError(f"{path}: the header must name the columns text,label")
            for line, row in enumerate(reader, start=2):
                text = (row.get("text") or "").strip()
                label = (row.get("label") or "").strip().lower()
                if label not in LABELS:
                    raise LabelledFileError(
                        f"{path}, line {line}: label {label!r} is not one of {', '.join(LABELS)}"
                    )
                if not text:
                    raise LabelledFileError(f"{path}, line {line}: the text is empty")
                examples.append(
                    LabelledExample(
                        text=text,
                        label=label,
                        target=(row.get("target") or "").strip() or UNASSIGNED,
                        form=(row.get("form") or "").strip() or UNASSIGNED,
                    )
                )
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise LabelledFileError(f"{path}: {error}") from error
    return examples


# Targets that are not a group of people: never kept together in the stacker's folds.
NOT_A_GROUP = frozenset({UNASSIGNED, "none", "person"})


def training_example(example: LabelledExample) -> TrainingExample:
    """The example as the models train on it, its group named when it is about one."""
    group = "" if example.target in NOT_A_GROUP else example.target
    return TrainingExample(example.text, example.label, group)


def labelled_training_files() -> list[Path]:
    """The training set's files, in a stable order."""
    return [TUNING_SET, *sorted(LABELLED_DIR.glob("*.csv"))]


def labelled_training_examples() -> list[LabelledExample]:
    """The shipped training set (never the holdout or the independent set)."""
    return [
        example
        for path in labelled_training_files()
        for example in labelled_examples_read(path=path)
    ]


def labelled_data_fingerprint() -> str:
    """A digest of the training files' bytes: what a model trained on them depends on."""
    import hashlib

    digest = hashlib.sha256()
    for path in labelled_training_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
