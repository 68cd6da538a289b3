"""The peer: Isso 0.14.0 in its own virtual environment, its config, and its data.

Isso keeps one level of nesting (``isso/db/comments.py`` files a reply to a reply under the
top-level comment it hangs from), so the same tree goes in with each reply's parent set the
way Isso itself would store it: the top-level comment of its chain.
"""

import json
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ISSO_VERSION = "0.14.0"
THREAD_URI = "/viral-1k"
POSTING_URI = "/viral-posting"

# Run by Isso's own Python: Isso creates its schema, then the rows go in directly.
_LOAD_SCRIPT = r"""
import json, sys
from isso import config
from isso.db import SQLite3
from isso.utils import Bloomfilter
spec = json.load(sys.stdin)
conf = config.load(config.default_file(), spec["config"])
db = SQLite3(spec["db"], conf)
voters = memoryview(Bloomfilter(iterable=["127.0.0.1"]).array)
for uri, title in spec["threads"]:
    db.execute("INSERT INTO threads (uri, title) VALUES (?, ?)", (uri, title))
tid = db.execute("SELECT id FROM threads WHERE uri=?", (spec["uri"],)).fetchone()[0]
rows = [(tid, c["id"], c["parent"], c["created"], 1, "127.0.0.1", c["text"], c["author"], voters)
        for c in spec["comments"]]
import sqlite3
with sqlite3.connect(spec["db"]) as con:
    con.executemany(
        "INSERT INTO comments (tid, id, parent, created, modified, mode, remote_addr, text, "
        "author, email, website, voters, notification) "
        "VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, NULL, NULL, ?, 0)", rows)
print(db.execute("SELECT count(*) FROM comments").fetchone()[0])
"""


def isso_venv_ensure(venv: Path) -> Path:
    """Isso from PyPI in ``venv`` (created once); returns its gunicorn."""
    gunicorn = venv / "bin" / "gunicorn"
    # The same gunicorn as Newsdesk's: the comparison is of the applications.
    gunicorn_version = metadata.version("gunicorn")
    marker = venv / f".isso-{ISSO_VERSION}-gunicorn-{gunicorn_version}"
    if marker.exists() and gunicorn.exists():
        return gunicorn
    if not (venv / "bin" / "python").exists():
        subprocess.run(["python3.11", "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(venv / "bin" / "pip"),
            "install",
            "-q",
            f"isso=={ISSO_VERSION}",
            f"gunicorn=={gunicorn_version}",
        ],
        check=True,
    )
    marker.touch()
    return gunicorn


def isso_config_write(path: Path, *, db: Path, port: int, site: str) -> None:
    """A config for a benchmark: moderation and the guard's rate limits off; ``site`` is the
    website Isso serves comments for (it checks it can reach it when it starts)."""
    path.write_text(
        "[general]\n"
        f"dbpath = {db}\n"
        f"host = {site}/\n"
        "notify = stdout\n"
        "[moderation]\nenabled = false\n"
        "[guard]\nenabled = false\nratelimit = 100000\n"
        f"[server]\nlisten = http://127.0.0.1:{port}/\n"
    )


def isso_db_build(*, venv: Path, db: Path, config: Path, comments: list) -> int:
    """A fresh Isso database at ``db`` holding ``comments`` (``texts.GeneratedComment``)."""
    db.unlink(missing_ok=True)
    ids = {c.index: c.index + 1 for c in comments}
    top = {}
    start = time.time() - 2 * 86400
    rows = []
    for c in comments:
        top[c.index] = c.index if c.parent is None else top[c.parent]
        parent = None if c.parent is None else ids[top[c.index]]
        rows.append(
            {
                "id": ids[c.index],
                "parent": parent,
                "created": start + c.seconds,
                "text": c.text,
                "author": c.author,
            }
        )
    spec = {
        "config": str(config),
        "db": str(db),
        "uri": THREAD_URI,
        "threads": [[THREAD_URI, "Harbour lease"], [POSTING_URI, "Harbour lease, posting"]],
        "comments": rows,
    }
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", _LOAD_SCRIPT],
        input=json.dumps(spec),
        text=True,
        capture_output=True,
        check=False,
    )
    if result.returncode:
        sys.stderr.write(result.stderr)
        raise RuntimeError("could not build Isso's database")
    return int(result.stdout.strip().splitlines()[-1])
