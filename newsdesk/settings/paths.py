"""Where things are on disk: the code, the laptop tier's data folder, static and media files.

Nothing here is created at import: importing the settings (a tool, a test, a subprocess that
only reads them) leaves the disk alone. The folders are made when Django starts
(``newsdesk/core/apps.py``), and the laptop's secret key file when the key is first used
(``laptop_secret_key``).
"""

import functools
import os
import tempfile
import threading
from pathlib import Path

from django.core.management.utils import get_random_secret_key
from django.utils.functional import lazy

from .env import env_bool, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "newsdesk"

# Runtime state of the laptop tier (database, media, cache, secret key) lives here.
DATA_DIR = Path(env_str("NEWSDESK_DATA_DIR", str(BASE_DIR / "var"))).resolve()

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# The laptop tier has no web server in front, so Django serves uploaded media itself
# (production.py turns it off: the proxy serves MEDIA_ROOT).
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Static files straight from the apps' folders (no collectstatic on a laptop); production
# serves the collected, hashed copies only.
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024


_key_lock = threading.Lock()


@functools.cache
def _laptop_secret_key_create(path: str) -> str:
    """Write a new key unless one exists, then read it. The web processes and the worker may
    all use the key for the first time at once, and so may the threads of one process (a
    worker with ``--threads``): each writer, under a lock within its process, writes its
    candidate to a file of its own (unique name, readable by the owner only) and links it
    into place, which fails if another process was first, so all of them read the one key
    that won."""
    with _key_lock:
        key_file = Path(path)
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            descriptor, candidate = tempfile.mkstemp(dir=key_file.parent, prefix=".secret_key.")
            try:
                with os.fdopen(descriptor, "w") as stream:
                    stream.write(get_random_secret_key())
                os.link(candidate, key_file)
            except FileExistsError:
                pass
            finally:
                os.unlink(candidate)
        return key_file.read_text().strip()


def laptop_secret_key(*, data_dir: Path) -> str:
    """A random key kept in ``data_dir/secret_key``, so a laptop needs no set-up.

    When the file exists its text is returned (a plain ``str``). Otherwise a lazy string is
    returned that writes the file the first time the key is used (a signed cookie, a token,
    the deploy check), not when the settings are imported. Production settings never call
    this: they refuse to start without ``SECRET_KEY`` in the environment.
    """
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    return lazy(_laptop_secret_key_create, str)(str(path))
