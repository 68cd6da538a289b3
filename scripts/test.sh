#!/usr/bin/env bash
# The whole suite, as `make test` runs it: two pytest processes side by side, one for the
# browser tests (mostly waiting on gunicorn, the worker and chromium) and one for all the
# others, so the two cores are both busy and the run takes the longer half's time instead of
# the sum. The others' half is the longer (by about a quarter on SQLite, nearly half on
# PostgreSQL), so a few long tests marked `beside_browser` (upgrades, sites under load) run
# in the browser tests' pytest instead: the halves end closer together.
#
# Each process has its own test database (NEWSDESK_TEST_DB: a SQLite file, or a PostgreSQL
# database named after it), its own Redis database for its cache, and its own range of Redis
# databases for the sites it starts (NEWSDESK_TEST_SITE_REDIS_DBS), so neither flushes or
# reads the other's. PYTEST_ARGS runs one pytest with those arguments instead (a subset).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

# The project's bytecode, written once: with PYTHONDONTWRITEBYTECODE set (as on CI) every
# process the suite starts (sites, workers, shells: hundreds) would compile it again.
"$PY" -m compileall -q -j 0 newsdesk tests bench conftest.py manage.py > /dev/null

if [ -n "${PYTEST_ARGS:-}" ]; then
    # shellcheck disable=SC2086 # the arguments are words on purpose
    exec "$PY" -m pytest $PYTEST_ARGS
fi

# REDIS_URL with another database number (the newsroom tier's run sets REDIS_URL).
redis_db() {
    [ -n "${REDIS_URL:-}" ] || return 0
    "$PY" -c 'import sys; from urllib.parse import urlsplit, urlunsplit
u = urlsplit(sys.argv[1]); print(urlunsplit(u._replace(path="/" + sys.argv[2])))' "$REDIS_URL" "$1"
}

# Each half names its 25 slowest tests at its end (--durations): CI's log shows where the
# suite's time goes, which the 90-minute limit makes worth watching.
mkdir -p var
served_log=var/test-served.log
(
    export NEWSDESK_TEST_DB=test-db-served.sqlite3 NEWSDESK_TEST_SITE_REDIS_DBS=9-15
    if [ -n "${REDIS_URL:-}" ]; then REDIS_URL=$(redis_db 1); export REDIS_URL; fi
    exec "$PY" -m pytest -m "browser or beside_browser" -p no:cacheprovider --durations=25
) > "$served_log" 2>&1 &
served=$!
# Stopping `make test` stops the other half too.
trap 'kill "$served" 2>/dev/null' INT TERM

echo "=== tests in the test process (the browser tests run beside them: $served_log) ==="
NEWSDESK_TEST_SITE_REDIS_DBS=3-8 "$PY" -m pytest -m "not browser and not beside_browser" --durations=25
local_status=$?

wait "$served"
served_status=$?
echo "=== browser tests ==="
cat "$served_log"
echo "=== test process: exit $local_status; served: exit $served_status ==="
[ "$local_status" -eq 0 ] && [ "$served_status" -eq 0 ]
