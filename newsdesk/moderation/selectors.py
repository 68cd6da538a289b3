"""Reads of the moderation app: the policy, training examples, what is known of a commenter."""

import csv
from functools import cache
from pathlib import Path

from newsdesk.discussion.pipeline import CommentCandidate
from newsdesk.moderation.learning import LABELS, TrainingExample
from newsdesk.moderation.models import LearnedModel, ModerationSettings

DATA_DIR = Path(__file__).resolve().parent / "data"
TUNING_SET = DATA_DIR / "labelled_tune.csv"
HOLDOUT_SET = DATA_DIR / "labelled_holdout.csv"


class LabelledFileError(ValueError):
    """A labelled CSV that cannot be read: the message says what is wrong and where."""


def labelled_rows_read(*, path: Path) -> list[tuple[str, str]]:
    """``(text, label)`` rows of a CSV with a ``text,label`` header; labels as in LABELS."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
                raise LabelledFileError(f"{path}: the header must name the columns text,label")
            rows = []
            for line, row in enumerate(reader, start=2):
                label = (row.get("label") or "").strip().lower()
                if label not in LABELS:
                    raise LabelledFileError(
                        f"{path}, line {line}: label {label!r} is not one of {', '.join(LABELS)}"
                    )
                rows.append((row.get("text") or "", label))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise LabelledFileError(f"{path}: {error}") from error
    return rows


@cache
def training_examples_shipped() -> list[TrainingExample]:
    """The labelled tuning set shipped with the app (never the held-out set)."""
    return [TrainingExample(text, label) for text, label in labelled_rows_read(path=TUNING_SET)]


def training_examples_list() -> list[TrainingExample]:
    """What the learned model is trained on: the shipped tuning set, then moderators'
    decisions on real comments once the queue records them."""
    return list(training_examples_shipped())


def learned_model_latest() -> LearnedModel | None:
    return LearnedModel.objects.order_by("-pk").first()


def moderation_settings_get() -> ModerationSettings:
    return ModerationSettings.load()


def commenter_approved_count(*, candidate: CommentCandidate) -> int:
    """How many of this commenter's comments moderators approved or the pipeline published.

    Guests and new accounts have none; counted from comments once they are stored.
    """
    return 0


def identical_recent_comments_count(*, candidate: CommentCandidate) -> int:
    """How many comments with the same text were posted recently (by anyone).

    Counted from stored comments once they exist; a repeated body is a spam sign.
    """
    return 0
