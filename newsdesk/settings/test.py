"""Settings for the test suite: fast hashing, local caches, tasks run in the test process.

The test database is a file (or DATABASE_URL's server), so ``--reuse-db`` skips Wagtail's
~185 migrations on every run after the first; ``NEWSDESK_TEST_DB`` names the file, so
several runs at once do not share one.
"""

import re

from .base import *  # noqa: F403
from .base import DATA_DIR, DATABASES, REDIS_URL
from .env import env_str

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not REDIS_URL:
    # With REDIS_URL (the newsroom-tier run in CI) the tests use the real Redis cache.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One process renders and changes: its copies (core/processcache.py) are dropped at each of
# its changes, so none lags one and a change needs no wait for other processes' copies
# (pagecache's ``settle``). The tests of those waits set their own.
PROCESS_CACHE_CHECK_SECONDS = 0.0
MEDIA_ROOT = DATA_DIR / "test-media"
WHITENOISE_AUTOREFRESH = True
# The test servers (partner feeds, pictures, oEmbed providers) listen on 127.0.0.1, which
# production never fetches from (core/safefetch.py); the attack tests set this back to "".
FETCH_ALLOW_INTERNAL = "127.0.0.1"

_TEST_DB = env_str("NEWSDESK_TEST_DB", "test-db.sqlite3")
if DATABASES["default"]["ENGINE"] == "newsdesk.core.sqlite":
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / _TEST_DB)}
elif _TEST_DB != "test-db.sqlite3":
    # On PostgreSQL the name picks the test database too (test_newsdesk_test_db_served),
    # so two runs side by side on one server do not drop each other's.
    _stem = re.sub(r"[^a-z0-9]+", "_", _TEST_DB.removesuffix(".sqlite3").lower())
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{_stem}"}
