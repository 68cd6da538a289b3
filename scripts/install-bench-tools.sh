#!/usr/bin/env bash
# Debian's wrk (load generator) and nginx (static files and the caching proxy) for `make bench`.
# Idempotent: installs only what is missing. The benchmark runs nginx itself, in the
# foreground with its own prefix; the system service is left alone.
exec "$(dirname "$0")/apt-install-missing.sh" "the benchmark" wrk nginx
