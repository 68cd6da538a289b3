#!/usr/bin/env bash
# Installs those of the Debian packages named after the first argument (what they are for)
# whose program of the same name is missing (not on PATH nor in /usr/sbin). Idempotent.
#   scripts/apt-install-missing.sh "the benchmark" wrk nginx
set -euo pipefail
purpose=$1
shift
missing=()
for package in "$@"; do
    command -v "$package" >/dev/null 2>&1 || [ -x "/usr/sbin/$package" ] || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "Installing Debian's ${missing[*]} for $purpose..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
