"""Access to the shared acceptance fixtures (real data written by others).

They live beside the repository, in ``../shared/fixtures/``; they are never copied into the
project. A test that needs one skips, saying why, where the folder is absent.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

FIXTURES_DIR = Path(
    os.environ.get("NEWSDESK_FIXTURES_DIR", Path(settings.BASE_DIR).parent / "shared" / "fixtures")
)


def shared_fixture(relative_path: str) -> Path:
    """The path of a shared fixture file or folder; skips the test if it is not there."""
    path = FIXTURES_DIR / relative_path
    if not path.exists():
        pytest.skip(f"shared fixture {relative_path} is not available at {FIXTURES_DIR}")
    return path
