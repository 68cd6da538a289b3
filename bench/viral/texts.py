"""A discussion thread of generated text, shaped like the seed page's.

The seed's thread has short top-level remarks, long factual replies of several paragraphs,
back-and-forth chains between two readers (A answers B answers A...) and comments that draw
several replies (fan-out). ``thread_generate`` draws such a tree from a seeded random source,
so the same size always gives the same thread (for Newsdesk and for Isso alike). The words
are the benchmark's own.
"""

import random
from dataclasses import dataclass

SUBJECTS = [
    "the council", "the minister", "the port authority", "the union", "the regulator",
    "the mayor's office", "the energy company", "the committee", "our correspondent",
    "the opposition", "the central bank", "the water board", "the shipping firms",
    "the farmers", "the hospital trust", "the court", "the auditors", "the lenders",
]  # fmt: skip
VERBS = [
    "has not explained", "quietly changed", "never published", "keeps postponing",
    "was warned about", "paid for", "signed off on", "misread", "ignored", "rewrote",
    "doubled", "cut", "handed over", "promised", "lobbied against", "underestimated",
]  # fmt: skip
OBJECTS = [
    "the budget for next year", "the tender", "the inspection reports", "the contract",
    "the emissions figures", "the timetable", "the rent rules", "the border checks",
    "the pension fund", "the bridge repairs", "the import quotas", "the audit",
    "the water prices", "the harbour dredging", "the grain reserve", "the night trains",
]  # fmt: skip
TAILS = [
    "and nobody asked why", "according to the documents linked in the article",
    "which is exactly what happened last time", "if you read the annex carefully",
    "two years before anyone noticed", "while the cameras were elsewhere",
    "as the article says in the fourth paragraph", "and the numbers simply do not add up",
    "so the story is bigger than it looks", "which the minutes of the meeting confirm",
]  # fmt: skip
SHORT = [
    "All of them?", "Source?", "Exactly this.", "Read the article again.", "Not true.",
    "Good reporting, thank you.", "Who pays for it in the end?", "Same story every winter.",
    "This aged well.", "I was there; it was worse.", "Follow the money.",
    "Finally someone says it.",
]  # fmt: skip
NAMES = [
    "Marta K.", "old_harbour", "Tomasz", "reader from the coast", "Ines Duarte", "J. Lindqvist",
    "nightshift", "Pavel", "Ada Moreau", "quietobserver", "Kofi A.", "R. Haldane", "ferryman",
    "Lucia", "B. Okafor", "grainwatch", "Noor", "S. Petrov", "the_auditor", "Hannah W.",
]  # fmt: skip


@dataclass(frozen=True)
class GeneratedComment:
    """One comment of a generated thread: ``parent`` is the index of its parent or None."""

    index: int
    parent: int | None
    author: str
    text: str
    seconds: int  # after the thread's start


def _sentence(rng: random.Random) -> str:
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.6:
        s += f" {rng.choice(TAILS)}"
    if rng.random() < 0.08:
        s = s.replace("the ", "*the* ", 1)
    return s[0].upper() + s[1:] + rng.choice([".", ".", ".", "!", "?"])


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def comment_text(rng: random.Random) -> str:
    """One comment: a line (35 %), a paragraph (40 %) or several long paragraphs (25 %)."""
    kind = rng.random()
    if kind < 0.2:
        return rng.choice(SHORT)
    if kind < 0.35:
        return _sentence(rng)
    if kind < 0.75:
        text = _paragraph(rng, rng.randint(2, 6))
    else:
        text = "\n\n".join(_paragraph(rng, rng.randint(4, 9)) for _ in range(rng.randint(2, 5)))
    if rng.random() < 0.1:
        text = f"> {_sentence(rng)}\n\n{text}"
    if rng.random() < 0.08:
        text += f" [The filing]({'https://example.org/filings/'}{rng.randint(1, 999)})."
    return text


def thread_generate(size: int, *, seed: int = 8) -> list[GeneratedComment]:
    """``size`` comments in posting order; a parent always comes before its replies.

    About a third are top-level; a reply answers the latest reply of a running chain (the
    back-and-forth), a recent top-level comment (fan-out) or any earlier comment.
    """
    rng = random.Random(seed * 1_000_003 + size)
    comments: list[GeneratedComment] = []
    tops: list[int] = []
    chain: list[int] = []  # the current back-and-forth
    seconds = 0
    for index in range(size):
        seconds += rng.randint(5, 240)
        roll = rng.random()
        if not tops or roll < 0.33:
            parent = None
            tops.append(index)
            chain = [index]
        elif roll < 0.60 and len(chain) < 12:
            parent = chain[-1]
            chain.append(index)
        elif roll < 0.88:
            parent = rng.choice(tops[-8:])
            chain = [parent, index]
        else:
            parent = rng.randrange(index)
        comments.append(
            GeneratedComment(
                index=index,
                parent=parent,
                author=rng.choice(NAMES),
                text=comment_text(rng),
                seconds=seconds,
            )
        )
    return comments
