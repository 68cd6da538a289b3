#!/usr/bin/env bash
# Build Newsdesk's image and run the compose project (Dockerfile, compose.yaml) end to end:
# build, `up` (PostgreSQL, Redis, the one-shot migrate, web, worker), wait for /readyz through
# the published port, post a comment as a reader behind a proxy and read it back (and its
# stored address: the proxy's X-Forwarded-For believed), run `doctor`, take a backup, then
# bring it all down with its volumes (the image stays, as newsdesk-check:latest, for the next
# run's build cache). Prints what it does; exits non-zero on a failure.
#
# Without a container engine (docker with a running daemon and compose, or podman with a
# compose provider) it prints "skipped: <reason>" and exits 0.
#
# Environment (all optional):
#   CONTAINER_ENGINE=docker|podman   the engine to use (default: docker, else podman)
#   CONTAINER_CHECK_STANDIN=auto|1|0 stand-in base images built from Debian's packages when
#       the official ones cannot be pulled (auto, the default), always (1) or never (0). The
#       stand-ins: Debian 12's Python 3.11 for python:3.11-slim, its PostgreSQL 15 and Redis 7.0
#       (deploy/container/standin/); their Debian base is `debian:bookworm-slim`, or, when that
#       cannot be pulled either, a minimal Debian 12 made by debootstrap (as root).
#   CONTAINER_CHECK_KEEP=1           leave the project running at the end (and say how to stop it)
#   CONTAINER_CHECK_PORT             the published port (default: a free one)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

skip() {
    echo "skipped: $*"
    exit 0
}
say() { echo "== $*"; }
fail() {
    echo "FAILED: $*" >&2
    exit 1
}

# --- the engine ---------------------------------------------------------------------------------
ENGINE=${CONTAINER_ENGINE:-}
COMPOSE=()
engine_error=""
if [ -z "$ENGINE" ] || [ "$ENGINE" = docker ]; then
    if ! command -v docker >/dev/null 2>&1; then
        engine_error="docker is not installed"
    elif ! out=$(docker info --format '{{.ServerVersion}}' 2>&1); then
        engine_error="docker has no running daemon ($(echo "$out" | grep -v '^$' | tail -n 1))"
    elif docker compose version >/dev/null 2>&1; then
        ENGINE=docker COMPOSE=(docker compose)
    elif command -v docker-compose >/dev/null 2>&1; then
        ENGINE=docker COMPOSE=(docker-compose)
    else
        engine_error="docker runs but has no compose (neither 'docker compose' nor docker-compose)"
    fi
fi
if [ ${#COMPOSE[@]} -eq 0 ] && { [ -z "$ENGINE" ] || [ "$ENGINE" = podman ]; }; then
    if ! command -v podman >/dev/null 2>&1; then
        engine_error="${engine_error:+$engine_error; }podman is not installed"
    elif ! out=$(podman info --format '{{.Host.OCIRuntime.Name}}' 2>&1); then
        engine_error="${engine_error:+$engine_error; }podman does not run ($(echo "$out" | tail -n 1))"
    elif podman compose version >/dev/null 2>&1; then
        ENGINE=podman COMPOSE=(podman compose)
    elif command -v podman-compose >/dev/null 2>&1; then
        ENGINE=podman COMPOSE=(podman-compose)
    else
        engine_error="${engine_error:+$engine_error; }podman runs but has no compose provider"
    fi
fi
[ ${#COMPOSE[@]} -gt 0 ] || skip "no container engine: ${engine_error:-none found}"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed on the host for the HTTP checks"
say "engine: $ENGINE $($ENGINE --version | head -n 1); compose: ${COMPOSE[*]}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-container-check.XXXXXX")
PROJECT="newsdesk-check-$$"
# A fixed tag, kept afterwards: the next run builds on its layers (removing it would drop
# the build cache with it).
IMAGE="newsdesk-check:latest"
PYTHON_IMAGE=$(sed -n 's/^ARG PYTHON_IMAGE=//p' Dockerfile)
PG_MAJOR=$(sed -n 's/^ARG PG_MAJOR=//p' Dockerfile)
POSTGRES_IMAGE=$(sed -n 's/.*NEWSDESK_POSTGRES_IMAGE:-\([^}]*\)}.*/\1/p' compose.yaml)
REDIS_IMAGE=$(sed -n 's/.*NEWSDESK_REDIS_IMAGE:-\([^}]*\)}.*/\1/p' compose.yaml)

# --- the images -----------------------------------------------------------------------------------
pulled() { $ENGINE image inspect "$1" >/dev/null 2>&1 || $ENGINE pull "$1" >"$WORK/pull.log" 2>&1; }

standin_base() {
    # A Debian 12 base for the stand-ins: the registry's, else one made here by debootstrap.
    if pulled debian:bookworm-slim; then
        echo debian:bookworm-slim
        return
    fi
    local base=newsdesk-standin/debian:bookworm
    if ! $ENGINE image inspect "$base" >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] || skip "no base image: debian:bookworm-slim cannot be pulled ($(tail -n 1 "$WORK/pull.log")) and debootstrap needs root"
        command -v debootstrap >/dev/null 2>&1 || skip "no base image: debian:bookworm-slim cannot be pulled ($(tail -n 1 "$WORK/pull.log")) and debootstrap is not installed (apt-get install debootstrap)"
        echo "   debootstrap: a minimal Debian 12 for the stand-ins ($WORK/rootfs)" >&2
        debootstrap --variant=minbase bookworm "$WORK/rootfs" http://deb.debian.org/debian \
            >"$WORK/debootstrap.log" 2>&1 || fail "debootstrap (see $WORK/debootstrap.log)"
        rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb
        tar -C "$WORK/rootfs" -c . | $ENGINE import - "$base" >/dev/null
        rm -rf "$WORK/rootfs"
    fi
    echo "$base"
}

STANDIN=${CONTAINER_CHECK_STANDIN:-auto}
BUILD_ARGS=()
if [ "$STANDIN" = 1 ] || { [ "$STANDIN" = auto ] && ! pulled "$PYTHON_IMAGE"; }; then
    [ "$STANDIN" = 1 ] || say "cannot pull $PYTHON_IMAGE: $(tail -n 1 "$WORK/pull.log")"
    [ "$STANDIN" != 0 ] || skip "cannot pull $PYTHON_IMAGE and CONTAINER_CHECK_STANDIN=0"
    say "stand-in images from Debian 12's packages (deploy/container/standin/)"
    BASE=$(standin_base)
    mkdir -p "$WORK/standin"
    cp deploy/container/standin/* "$WORK/standin/"
    cp /etc/ssl/certs/ca-certificates.crt "$WORK/standin/" 2>/dev/null \
        || touch "$WORK/standin/ca-certificates.crt"
    for name in python postgres redis; do
        $ENGINE build -q -f "$WORK/standin/$name.Dockerfile" --build-arg "BASE_IMAGE=$BASE" \
            -t "newsdesk-standin/$name:bookworm" "$WORK/standin" >"$WORK/standin-$name.log" 2>&1 \
            || fail "building the stand-in $name image (see $WORK/standin-$name.log)"
    done
    PYTHON_IMAGE=newsdesk-standin/python:bookworm PG_MAJOR=15
    POSTGRES_IMAGE=newsdesk-standin/postgres:bookworm REDIS_IMAGE=newsdesk-standin/redis:bookworm
    BUILD_ARGS=(--build-arg "PYTHON_IMAGE=$PYTHON_IMAGE" --build-arg "PG_MAJOR=$PG_MAJOR")
else
    for image in "$POSTGRES_IMAGE" "$REDIS_IMAGE"; do
        pulled "$image" || fail "cannot pull $image: $(tail -n 1 "$WORK/pull.log")"
    done
fi

say "build $IMAGE (base $PYTHON_IMAGE, PostgreSQL client $PG_MAJOR)"
started=$(date +%s)
$ENGINE build "${BUILD_ARGS[@]}" -t "$IMAGE" . >"$WORK/build.log" 2>&1 \
    || { tail -n 30 "$WORK/build.log"; fail "docker build (log: $WORK/build.log)"; }
echo "   built in $(($(date +%s) - started)) s; size $($ENGINE image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"

# --- the project --------------------------------------------------------------------------------
PORT=${CONTAINER_CHECK_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
# A subnet of its own, so a newsroom's project on this host is not disturbed.
SUBNET="172.30.$((200 + $$ % 50)).0/24"
PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
# The site's settings: the template as shipped, with this run's key, host and subnet, no SMTP
# and no Stripe keys; FUNDING_TEST_PAYMENTS=1, as a staging site says it may take gifts that
# move no money (the template's default, refusing, is checked by the suite).
sed -e "s/^SECRET_KEY=.*/SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')/" \
    -e 's/^ALLOWED_HOSTS=.*/ALLOWED_HOSTS=localhost/' \
    -e 's|^CSRF_TRUSTED_ORIGINS=.*|CSRF_TRUSTED_ORIGINS=https://localhost|' \
    -e 's|^SITE_URL=.*|SITE_URL=https://localhost|' \
    -e "s|^TRUSTED_PROXIES=.*|TRUSTED_PROXIES=127.0.0.1,$SUBNET|" \
    -e '/^EMAIL_HOST/d' -e '/^STRIPE_/d' \
    -e 's/^#FUNDING_TEST_PAYMENTS=0/FUNDING_TEST_PAYMENTS=1/' \
    deploy/compose.env.example >"$WORK/compose.env"
chmod 0600 "$WORK/compose.env"
# Compose's own variables, from this file alone (not from a ./.env of the work tree).
cat >"$WORK/compose-vars" <<VARS
POSTGRES_PASSWORD=$PASSWORD
NEWSDESK_IMAGE=$IMAGE
NEWSDESK_PORT=$PORT
NEWSDESK_SUBNET=$SUBNET
NEWSDESK_ENV_FILE=$WORK/compose.env
NEWSDESK_POSTGRES_IMAGE=$POSTGRES_IMAGE
NEWSDESK_REDIS_IMAGE=$REDIS_IMAGE
VARS
compose() { "${COMPOSE[@]}" --project-name "$PROJECT" --env-file "$WORK/compose-vars" -f compose.yaml "$@"; }

down() {
    if [ "${CONTAINER_CHECK_KEEP:-0}" = 1 ]; then
        echo "kept running: ${COMPOSE[*]} --project-name $PROJECT --env-file $WORK/compose-vars -f $ROOT/compose.yaml down --volumes"
        return
    fi
    say "down (with the project's volumes)"
    compose down --volumes --remove-orphans >"$WORK/down.log" 2>&1 || cat "$WORK/down.log"
    rm -rf "$WORK"
}
trap down EXIT
logs_and_fail() {
    compose ps || true
    compose logs --tail 40 || true
    fail "$*"
}

say "up: postgres, redis, migrate (once), web, worker; web on 127.0.0.1:$PORT"
started=$(date +%s)
compose up -d --no-build >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; logs_and_fail "compose up"; }

# HTTP as the host's nginx would send it: to the published port, the reader's address in
# X-Forwarded-For and the scheme in X-Forwarded-Proto.
cat >"$WORK/check_http.py" <<'PY'
import http.client, json, sys, time
port, action = int(sys.argv[1]), sys.argv[2]
base = {"Host": "localhost", "X-Forwarded-Proto": "https", "Accept": "application/json"}

def call(method, path, *, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers={**base, **(headers or {})})
    response = connection.getresponse()
    return response.status, response.getheaders(), response.read().decode("utf-8", "replace")

if action == "ready":
    deadline, last = time.time() + float(sys.argv[3]), ""
    while time.time() < deadline:
        try:
            status, _, text = call("GET", "/readyz")
            last = f"{status} {text[:300]}"
            if status == 200:
                print(last)
                sys.exit(0)
        except OSError as error:
            last = str(error)
        time.sleep(2)
    print(f"not ready: {last}")
    sys.exit(1)

if action == "comment":
    article, reader, text = sys.argv[3], sys.argv[4], sys.argv[5]
    forwarded = {"X-Forwarded-For": reader}
    status, headers, body = call("GET", "/csrf/", headers=forwarded)
    assert status == 200, (status, body)
    token = json.loads(body)["token"]
    cookie = next(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("csrftoken="))
    status, _, body = call(
        "POST", f"/api/threads/{article}/comments",
        headers={**forwarded, "Content-Type": "application/json", "X-CSRFToken": token,
                 "Cookie": cookie, "Origin": "https://localhost", "Referer": "https://localhost/"},
        body=json.dumps({"body": text, "name": "Container check"}),
    )
    assert status == 201, (status, body)
    posted = json.loads(body)
    comment_id, guest = posted["comment"]["id"], posted["guest_token"]
    print(f"posted comment {comment_id}: {posted['message']}")
    # Read back as its author: published in the thread, or held and shown to them alone.
    status, _, body = call("GET", f"/api/threads/{article}/mine", headers={"X-Guest-Token": guest})
    assert status == 200, (status, body)
    mine = json.loads(body)
    status, _, body = call("GET", f"/api/threads/{article}")
    public = json.loads(body)
    own_ids = {c["id"] for c in mine["own"]} | {c["id"] for c in mine["held"]}
    published = [c for c in public["comments"] if c["id"] == comment_id]
    assert comment_id in own_ids or published, (mine, public)
    if published:
        assert text in json.dumps(published), published
        print(f"read back: published in the thread ({public['comment_count']} comments)")
    else:
        assert text in json.dumps(mine), mine
        print("read back: held for moderation, shown to its author")
    print(comment_id)
PY

say "wait for /readyz through the published port"
python3 "$WORK/check_http.py" "$PORT" ready 240 || logs_and_fail "/readyz never answered 200"
echo "   ready $(($(date +%s) - started)) s after up"
compose ps

say "an article to comment on (the demo's site and articles, into this throwaway database)"
ARTICLE=$(compose exec -T web python manage.py shell -c "
import io
from newsdesk.demo import articles, site
site.load(stdout=io.StringIO()); articles.load(stdout=io.StringIO())
from newsdesk.articles.models import ArticlePage
print(ArticlePage.objects.live().order_by('pk').first().pk)
" 2>"$WORK/demo.log" | tail -n 1 | tr -d '\r')
[[ "$ARTICLE" =~ ^[0-9]+$ ]] || logs_and_fail "no article: $ARTICLE"
echo "   article $ARTICLE"

say "post a comment as reader 198.51.100.23 behind the proxy, read it back"
TEXT="Posted by the container check $$, thank you for the reporting."
out=$(python3 "$WORK/check_http.py" "$PORT" comment "$ARTICLE" 198.51.100.23 "$TEXT") \
    || { echo "$out"; logs_and_fail "posting or reading back the comment"; }
echo "$out" | sed '$d' | sed 's/^/   /'
COMMENT=$(echo "$out" | tail -n 1)
STORED=$(compose exec -T web python manage.py shell -c "
from newsdesk.discussion.models import Comment
print(Comment.objects.get(pk=$COMMENT).ip_address)" | tail -n 1 | tr -d '\r')
[ "$STORED" = 198.51.100.23 ] || logs_and_fail "the comment's stored address is $STORED, not the reader's 198.51.100.23"
echo "   stored address: $STORED (X-Forwarded-For believed from the compose network's gateway)"

say "backup_database into the backups volume"
compose exec -T web sh -c 'python manage.py backup_database /var/lib/newsdesk/backups/check.dump \
    && ls -l /var/lib/newsdesk/backups/' || logs_and_fail "backup_database"

say "doctor"
if compose exec -T web python manage.py doctor; then
    echo "   doctor: no failure"
else
    logs_and_fail "doctor reported a failure"
fi

say "a one-off command through 'run' (as docs/production.md shows): showmigrations --plan | tail -1"
compose run --rm --no-deps web showmigrations --plan | tail -n 1

echo "container check passed ($ENGINE, image $PYTHON_IMAGE, $POSTGRES_IMAGE, $REDIS_IMAGE)"
