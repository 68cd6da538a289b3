#!/usr/bin/env bash
# make audit: Lighthouse 12.2.3 (from the npm registry, into .tools/lighthouse/) with Debian's
# chromium, headless, against the demo served on a free port: the front, article, section,
# donate, sign-in and account pages, each as a phone (Lighthouse's mobile default, throttled)
# and as a desktop (--preset=desktop). Prints one table of the four category scores.
#
# The demo has a data folder of its own (var/audit/site/, reused between runs) so `make demo`'s
# database is never touched; the reports are kept in var/audit/ (JSON, one per page and form
# factor). The account page is audited signed in: a reader account of the audit's own and a
# session made for it, sent as a cookie header.
#   AUDIT_PAGES="front donate" scripts/audit.sh    # only some pages
# Lighthouse 13 needs Node 22; 12.2.3 runs on Node 18.16 and later.
set -euo pipefail
cd "$(dirname "$0")/.."

LIGHTHOUSE_VERSION=12.2.3
TOOLS=.tools/lighthouse
OUT=var/audit
PY=.venv/bin/python
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
PAGES=${AUDIT_PAGES:-front article section donate sign-in account}

scripts/apt-install-missing.sh "the audit" chromium nodejs npm
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
    echo "Lighthouse $LIGHTHOUSE_VERSION needs Node 18.16 or later; this is $(node --version)." >&2
    exit 1
fi
installed=$(node -p "require('./$TOOLS/node_modules/lighthouse/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$LIGHTHOUSE_VERSION" ]; then
    echo "Installing Lighthouse $LIGHTHOUSE_VERSION into $TOOLS/ ..."
    mkdir -p "$TOOLS"
    [ -f "$TOOLS/package.json" ] || echo '{"private": true}' > "$TOOLS/package.json"
    npm install --prefix "$TOOLS" --save-exact --no-audit --no-fund --loglevel=error \
        "lighthouse@$LIGHTHOUSE_VERSION"
fi
LIGHTHOUSE=$TOOLS/node_modules/.bin/lighthouse

mkdir -p "$OUT/site"
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
export NEWSDESK_DATA_DIR="$PWD/$OUT/site" SITE_URL="$URL" ACCESS_LOG=0
export DJANGO_SETTINGS_MODULE=newsdesk.settings.dev

# The demo in a process group of its own, stopped with everything it started on any exit.
echo "Serving the demo on $URL (log: $OUT/serve.log) ..."
setsid "$PY" manage.py serve --demo --port "$PORT" >"$OUT/serve.log" 2>&1 &
SERVER=$!
stop() { kill -TERM -- "-$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
trap stop EXIT
trap 'exit 130' INT TERM
for _ in $(seq 600); do
    curl -fs -o /dev/null "$URL/robots.txt" && break
    kill -0 "$SERVER" 2>/dev/null || { tail -20 "$OUT/serve.log" >&2; exit 1; }
    sleep 0.5
done
curl -fs -o /dev/null "$URL/robots.txt" || { echo "The demo did not start." >&2; exit 1; }

# The lead story, its section, and a signed-in session for the account page.
read -r ARTICLE SECTION SESSION < <("$PY" manage.py shell -v0 -c "
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from newsdesk.demo.discussion import lead_story_find
users = get_user_model().objects
reader = users.filter(username='audit_reader').first() or users.create_user(
    'audit_reader', 'audit.reader@example.org', None)
EmailAddress.objects.get_or_create(
    user=reader, email='audit.reader@example.org', defaults={'verified': True, 'primary': True})
client = Client()
client.force_login(reader)
lead = lead_story_find()
cookie = client.cookies[settings.SESSION_COOKIE_NAME]
print(lead.url, lead.get_parent().url, f'{cookie.key}={cookie.value}')
" | tail -1)

page_path() {
    case $1 in
        front) echo / ;;
        article) echo "$ARTICLE" ;;
        section) echo "$SECTION" ;;
        donate) echo /donate/ ;;
        sign-in) echo /accounts/login/ ;;
        account) echo /accounts/privacy/ ;;
        *) echo "unknown page $1 (front article section donate sign-in account)" >&2; exit 2 ;;
    esac
}

rm -f "$OUT"/*.json
for page in $PAGES; do
    path=$(page_path "$page")
    headers=() cookie=()
    if [ "$page" = account ]; then
        headers=(--extra-headers "{\"Cookie\": \"$SESSION\"}")
        cookie=(-H "Cookie: $SESSION")
    fi
    # Two requests first (one per web process): Lighthouse then measures what readers get
    # from a running site (the page cache filled, the processes warm), not the first render
    # after a start, which on a busy machine took seconds for the front page.
    for _ in 1 2; do
        curl -fs -o /dev/null "${cookie[@]}" "$URL$path" || true
    done
    for form in mobile desktop; do
        preset=()
        [ "$form" = desktop ] && preset=(--preset=desktop)
        echo "Lighthouse: $page ($path), $form ..."
        # A second try when a run fails: on a busy machine Chromium's trace is sometimes
        # lost (NO_NAVSTART), which says nothing about the page.
        for try in 1 2; do
            "$LIGHTHOUSE" "$URL$path" "${preset[@]}" "${headers[@]}" --quiet \
                --only-categories=performance,accessibility,best-practices,seo \
                --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run" \
                --output=json --output-path="$OUT/$page-$form.json" && break
            echo "Lighthouse failed on $page ($form), try $try of 2" >&2
        done
    done
done

"$PY" - "$OUT" $PAGES <<'EOF'
"""The table: one row per page and form factor, the four category scores out of 100."""
import json
import sys
from pathlib import Path

out, pages = Path(sys.argv[1]), sys.argv[2:]
categories = ["performance", "accessibility", "best-practices", "seo"]
print(f"\n| page | form factor | {' | '.join(categories)} | url |")
print("|" + "---|" * (len(categories) + 3))
lowest = 100
for page in pages:
    for form in ("mobile", "desktop"):
        path = out / f"{page}-{form}.json"
        if not path.exists():
            print(f"| {page} | {form} | " + " | ".join("failed" for _ in categories) + " | |")
            lowest = 0
            continue
        report = json.loads(path.read_text())
        if report.get("runtimeError"):
            print(f"| {page} | {form} | " + " | ".join("failed" for _ in categories) + " | |")
            lowest = 0
            continue
        scores = []
        for name in categories:
            score = report["categories"][name]["score"]
            scores.append("n/a" if score is None else str(round(score * 100)))
            lowest = min(lowest, round((score or 0) * 100))
        url = report["finalDisplayedUrl"].split("/", 3)[-1]
        print(f"| {page} | {form} | {' | '.join(scores)} | /{url} |")
print(f"\nlowest score: {lowest} (reports: {out}/<page>-<form factor>.json)")
EOF
