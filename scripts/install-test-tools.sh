#!/usr/bin/env bash
# Debian's packages the tests drive: chromium for the browser tests (Playwright never
# downloads a browser here) and nginx, which the sample proxy configuration is tested behind.
# Idempotent: installs only what is missing.
exec "$(dirname "$0")/apt-install-missing.sh" "the tests" chromium nginx
