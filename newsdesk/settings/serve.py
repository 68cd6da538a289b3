"""What ``manage.py serve`` (newsdesk/core/management/commands/serve.py) binds and starts."""

from .env import env_bool, env_int, env_str

SERVE_HOST = env_str("HOST", "127.0.0.1")
SERVE_PORT = env_int("PORT", 8000)
# gunicorn's web processes.
SERVE_WORKERS = env_int("WEB_CONCURRENCY", 2)
# Off behind nginx, which logs every request itself.
SERVE_ACCESS_LOG = env_bool("ACCESS_LOG", True)
