"""The baseline: an earlier revision of Newsdesk measured beside today's, in the same run.

``BENCH_BASELINE=<revision>`` (a commit, tag or branch; e.g. the commit before a re-layering)
checks that revision out once as a ``git worktree`` under ``<BENCH_DIR>/baseline/<commit>``
and serves it with the same ``.venv`` on its own copy of the same pristine data (copied at
the same moment as today's, so both hold the same rows). ``run.py`` then measures each of
Newsdesk's figures on both, one right after the other in every round, so a busy machine
weighs on both alike.

The data is built and migrated by today's code. A revision whose code no longer matches
today's tables cannot be served on it; the migrations that only move a model between apps
in Django's state (the task outbox, ``web`` to ``core``, same table) leave it servable, and
``baseline_data_adapt`` writes the rows of its copy back in the form an older revision
reads where only the form of the data changed.
"""

import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.viral.config import ROOT


class BaselineError(Exception):
    """The revision cannot be checked out (unknown revision, git failing)."""


@dataclass(frozen=True)
class Baseline:
    revision: str  # as given
    commit: str  # the full hash
    root: Path  # its work tree

    @property
    def short(self) -> str:
        return self.commit[:7]


def _git(*args: str, cwd: Path = ROOT) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=600
    )
    if result.returncode:
        raise BaselineError(f"git {' '.join(args)}: {result.stderr.strip() or result.stdout}")
    return result.stdout.strip()


def baseline_ensure(*, revision: str, bench_dir: Path, say) -> Baseline:
    """The work tree of ``revision``, checked out (detached) on first use and reused after.

    Raises ``BaselineError`` with git's reason when the revision is unknown; nothing is
    created then."""
    revision = revision.strip()
    if not revision or revision.startswith("-"):
        raise BaselineError(f"not a revision: {revision!r}")
    try:
        commit = _git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except BaselineError:
        raise BaselineError(
            f"BENCH_BASELINE={revision}: no such commit in this repository"
        ) from None
    root = bench_dir / "baseline" / commit[:12]
    if (root / ".git").exists():
        if _git("rev-parse", "HEAD", cwd=root) == commit:
            say(f"baseline: reusing the work tree of {revision} ({commit[:7]}) in {root}")
            return Baseline(revision, commit, root)
        raise BaselineError(f"{root} holds another commit: remove it (git worktree remove)")
    say(f"baseline: checking out {revision} ({commit[:7]}) into {root}")
    # A stale registration (its folder deleted by hand) would refuse the add.
    _git("worktree", "prune")
    root.parent.mkdir(parents=True, exist_ok=True)
    _git("worktree", "add", "--detach", str(root), commit)
    return Baseline(revision, commit, root)


# Data migrations since the earliest revision measured, each with the SQL that gives an older
# revision's copy the form that revision reads (the migration's reverse).
_DATA_FORMS = [
    (
        "newsdesk/discussion/migrations/0008_comment_root_empty_for_top_level.py",
        # Before it, a top-level comment named itself as its root.
        "UPDATE discussion_comment SET root_id = id WHERE root_id IS NULL;",
    ),
    (
        "newsdesk/funding/migrations/0007_ask_words_move_to_support_ask.py",
        # Before it, the ask's words under articles were columns of the funding settings.
        "ALTER TABLE funding_fundingsettings ADD COLUMN call_to_action_heading"
        " varchar(120) NOT NULL DEFAULT 'Found this worth your time?';"
        "ALTER TABLE funding_fundingsettings ADD COLUMN call_to_action_text"
        " text NOT NULL DEFAULT 'Readers pay for this reporting.';"
        "ALTER TABLE funding_fundingsettings ADD COLUMN call_to_action_button"
        " varchar(40) NOT NULL DEFAULT 'Support our reporting';",
    ),
]


def baseline_data_adapt(*, baseline: Baseline, database: Path) -> None:
    """Give the baseline's copy of the data (SQLite file ``database``) the form its code
    reads: undo each data migration the baseline's tree does not have."""
    with sqlite3.connect(database) as connection:
        for migration, sql in _DATA_FORMS:
            if not (baseline.root / migration).exists():
                connection.executescript(sql)
    connection.close()
