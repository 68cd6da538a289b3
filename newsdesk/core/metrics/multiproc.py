"""The multiprocess folder of a gunicorn master (see ``requests.py``).

Imports nothing of prometheus_client at module level: gunicorn's master imports this before
it names the folder in ``PROMETHEUS_MULTIPROC_DIR``, and prometheus_client decides how it
keeps values when it is first imported (in the master, that would be before the variable).
"""

import re
import shutil
from pathlib import Path

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def multiproc_dir_prepare(*, root: str, bind: list[str]) -> str:
    """The folder of one gunicorn master under ``root``, named after the addresses it binds
    (two masters on one host never bind the same one, so they keep apart), emptied: the
    counts of a previous run must not add to this one's. Returns its path."""
    name = re.sub(r"[^A-Za-z0-9.]+", "-", "_".join(bind)).strip("-") or "default"
    folder = Path(root) / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder)


def worker_exited(*, pid: int, folder: str) -> None:
    """A gunicorn worker ended: drop its live gauges (its counters stay, so totals do not
    go back)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid, folder)
