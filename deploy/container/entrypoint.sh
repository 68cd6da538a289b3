#!/bin/sh
# The image's entry point (Dockerfile): its first word is the role.
#
#   web      gunicorn with Newsdesk's configuration module, as deploy/systemd/newsdesk-web@.service
#            runs it (same hooks and options), on 0.0.0.0:8000 inside the container
#   worker   manage.py worker (RQ when REDIS_URL is set; the periodic duties)
#   other    a manage.py command: migrate, createsuperuser, doctor, upgrade, backup_database...
#            (an executable's name, e.g. sh or python, is run as is)
set -eu

case "${1:-web}" in
web)
    if [ $# -gt 0 ]; then shift; fi
    # WEB_CONCURRENCY: the gunicorn workers of this container (2 x cores given to it).
    # The control socket is in the container's own /run/newsdesk (one master per container).
    exec gunicorn newsdesk.wsgi -c python:newsdesk.gunicorn_conf \
        --bind 0.0.0.0:8000 --workers "${WEB_CONCURRENCY:-2}" \
        --max-requests 2000 --max-requests-jitter 200 --graceful-timeout 20 --timeout 30 \
        --access-logfile - --control-socket /run/newsdesk/gunicorn.ctl "$@"
    ;;
worker)
    shift
    exec python manage.py worker "$@"
    ;;
manage.py | manage)
    shift
    exec python manage.py "$@"
    ;;
*)
    if command -v "$1" >/dev/null 2>&1; then
        exec "$@"
    fi
    exec python manage.py "$@"
    ;;
esac
