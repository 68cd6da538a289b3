#!/usr/bin/env bash
# Debian's wrk (load generator) and nginx (static files and the caching proxy) for `make bench`.
# Idempotent: installs only what is missing. The benchmark runs nginx itself, in the
# foreground with its own prefix; the system service is left alone.
set -euo pipefail
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "Installing Debian's ${missing[*]} for the benchmark..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
