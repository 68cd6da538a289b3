"""Writers' habits in the labelled comments: words far more common in one harmful label's
rows than in the ``ok`` rows.

A writer asked for abuse puts "must" in threats more often than anyone puts it in an ``ok``
comment; the words model then learns "must" as evidence of abuse, and a one-line call on a
country to send aid is held. Such a word says nothing about harm. This module finds the
candidates before the models learn them; a person reads the list, since many of the words
found (an insult, "download" in spam) are the evidence itself. ``ok`` rows that use the word
mended "must" (``ok_demands.csv``), but one writer's counterweights do not always carry to
other writers' comments (``data/DATASHEET.md``): measure before adopting them.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsdesk.moderation.labelled import (
    LabelledExample,
    labelled_examples_read,
    labelled_training_files,
)
from newsdesk.moderation.learning import LABELS
from newsdesk.moderation.text import fold

# Every label but ok: what a habit would teach the models to hold.
HARMFUL_LABELS = tuple(label for label in LABELS if label != "ok")
_WORD = re.compile(r"[a-z][a-z']*")


@dataclass(frozen=True)
class LabelledRow:
    """A labelled comment and the file it came from."""

    example: LabelledExample
    source: str


@dataclass(frozen=True)
class SkewedWord:
    """A word in ``share`` of ``label``'s rows examined but ``ok_share`` of all ok rows."""

    word: str
    label: str
    share: float
    ok_share: float
    # The file holding most of the label's rows with the word: whose writer to ask.
    main_source: str

    @property
    def ratio(self) -> float:
        return self.share / self.ok_share


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def skewed_words_find(
    *,
    rows: Sequence[LabelledRow],
    sources: Sequence[str] | None = None,
    min_share: float = 0.03,
    min_ratio: float = 4.0,
) -> list[SkewedWord]:
    """The words of each harmful label's rows (only those from ``sources``, when given) that
    appear in at least ``min_share`` of them and ``min_ratio`` times as often as in the ok
    rows of ``rows`` (all of them: the ok rows a model would learn from), most skewed first.

    The ok share is smoothed by one row, so a word no ok row uses is not infinitely skewed.
    """
    ok_count: Counter[str] = Counter()
    ok_rows = 0
    label_count: dict[str, Counter[str]] = defaultdict(Counter)
    label_rows: Counter[str] = Counter()
    by_source: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in rows:
        words = _words(row.example.text)
        if row.example.label == "ok":
            ok_count.update(words)
            ok_rows += 1
        elif row.example.label in HARMFUL_LABELS and (sources is None or row.source in sources):
            label_count[row.example.label].update(words)
            label_rows[row.example.label] += 1
            for word in words:
                by_source[(row.example.label, word)][row.source] += 1
    found = []
    for label, counts in label_count.items():
        for word, count in counts.items():
            share = count / label_rows[label]
            ok_share = (ok_count[word] + 1) / (ok_rows + 1)
            if share >= min_share and share / ok_share >= min_ratio:
                source = by_source[(label, word)].most_common(1)[0][0]
                found.append(SkewedWord(word, label, share, ok_share, source))
    return sorted(found, key=lambda skewed: (-skewed.ratio, skewed.label, skewed.word))


def training_rows_read(*, extra: Sequence[Path] = ()) -> list[LabelledRow]:
    """Every row of the shipped training set and of the ``extra`` files (a new file not yet
    joined), each with its file's name; LabelledFileError names a file that cannot be read."""
    # A file already in the set is read once.
    paths = [*labelled_training_files(), *extra]
    return [
        LabelledRow(example, path.name)
        for path in dict.fromkeys(path.resolve() for path in paths)
        for example in labelled_examples_read(path=path)
    ]
