# Newsdesk's container image: one image, two roles and manage.py's commands.
#
#     docker build -t newsdesk .
#     docker run newsdesk web        # gunicorn, as deploy/systemd/newsdesk-web@.service runs it
#     docker run newsdesk worker     # manage.py worker (RQ with REDIS_URL set)
#     docker run newsdesk migrate    # any other word is a manage.py command
#
# compose.yaml runs it beside PostgreSQL and Redis; docs/production.md, "Running in
# containers", walks through it. Nothing secret is in the image: every setting comes from the
# environment at run time (deploy/compose.env.example).
#
# The base is an ARG so a machine that cannot reach Docker Hub can build it on a stand-in
# (scripts/container-check.sh); PG_MAJOR is the PostgreSQL client the backups run (pg_dump
# must be at least the server's major version: compose.yaml runs PostgreSQL 17, which
# Debian 13 "trixie" packages).
ARG PYTHON_IMAGE=python:3.11.14-slim-trixie

# --- build: the virtual environment from uv.lock, the collected static files ------------------
FROM ${PYTHON_IMAGE} AS build
# The uv the Makefile pins (tests/site/test_container_kit.py holds them equal).
ARG UV_VERSION=0.13.9
ENV UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python3.11 -m venv /opt/uv && /opt/uv/bin/pip install --no-cache-dir "uv==${UV_VERSION}"
WORKDIR /app
# The dependencies first, from the lock alone: a code change reuses this layer.
COPY pyproject.toml uv.lock ./
RUN /opt/uv/bin/uv sync --frozen --no-dev --no-install-project --python python3.11 --no-cache
COPY . .
# Static files with the production settings: hashed names (ManifestStaticFilesStorage), so
# they may be cached for a year. The key exists for this one command and is not kept; the
# Redis address (never connected to) installs the apps of the Redis tier, as at run time
# (RQ's dashboard and its static files).
RUN SECRET_KEY=collectstatic-only DJANGO_SETTINGS_MODULE=newsdesk.settings.production \
    REDIS_URL=redis://redis:6379/0 \
    NEWSDESK_DATA_DIR=/tmp/build-data STATIC_ROOT=/build/static \
    /opt/venv/bin/python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf /tmp/build-data
# The moderation starter model, trained once here from the shipped labelled set (it is a
# file per digest of that data and code), so no container trains its own at start (it is
# written 0600: readable by all, as the site's user reads it from the image).
RUN DJANGO_SETTINGS_MODULE=newsdesk.settings.dev NEWSDESK_DATA_DIR=/tmp/build-data \
    MODERATION_MODEL_CACHE_DIR=/build/models \
    /opt/venv/bin/python -c "import django; django.setup(); \
from newsdesk.moderation.signals.learned import starter_bundle; starter_bundle()" \
    && rm -rf /tmp/build-data /build/models/*.lock && chmod -R a+rX /build/models

# --- runtime ---------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ARG PG_MAJOR=17
# pg_dump and pg_restore for backup_database and restore_database; nothing else is added.
RUN apt-get update \
    && apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}" \
    && rm -rf /var/lib/apt/lists/*
# A user of its own; the code is root's and read-only to it. Its data folder holds what a
# process writes (metrics files, uploaded media and backups on their volumes).
RUN groupadd --system --gid 10001 newsdesk \
    && useradd --system --uid 10001 --gid newsdesk --home-dir /var/lib/newsdesk \
        --shell /usr/sbin/nologin newsdesk \
    && install -d -o newsdesk -g newsdesk -m 0700 /var/lib/newsdesk /var/lib/newsdesk/media \
        /var/lib/newsdesk/backups /run/newsdesk
# The environment apart from the code: a code change leaves this (large) layer as it was.
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
COPY --from=build /build/models /app/models
# The static files are the site user's: `manage.py upgrade` runs collectstatic (a no-op on the
# image's own files, but it rewrites the manifest).
COPY --from=build --chown=newsdesk:newsdesk /build/static /app/static
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=newsdesk.settings.production \
    NEWSDESK_DATA_DIR=/var/lib/newsdesk \
    STATIC_ROOT=/app/static \
    MEDIA_ROOT=/var/lib/newsdesk/media \
    MODERATION_MODEL_CACHE_DIR=/app/models
WORKDIR /app
USER newsdesk:newsdesk
EXPOSE 8000
# /healthz: the process answers (no database or Redis needed); compose.yaml asks /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "deploy/container/healthcheck.py", "/healthz"]
ENTRYPOINT ["deploy/container/entrypoint.sh"]
CMD ["web"]
