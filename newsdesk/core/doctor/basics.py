"""Doctor's checks of what the site is made of: its settings, the database and the cache, its
migrations, and a payment provider. Each returns a ``Finding``; see the package's docstring."""

from collections.abc import Iterable

from django.conf import settings
from django.core import checks as django_checks

from newsdesk.core import health
from newsdesk.core.conf import setting
from newsdesk.core.doctor.findings import FAIL, OK, WARN, Finding

GUIDE = "docs/production.md"


def _message_line(message: django_checks.CheckMessage) -> str:
    hint = f" {message.hint}" if message.hint else ""
    return f"{message.id}: {message.msg}{hint}"


def settings_check() -> Finding:
    """Django's system checks (and its deployment checks under production settings) and the
    three settings a public site cannot do without: SECRET_KEY, DEBUG off, ALLOWED_HOSTS.

    Funding's checks are left to ``payments_check``, which says more about them.
    """
    production = bool(setting("NEWSDESK_PRODUCTION"))
    module = settings.SETTINGS_MODULE or "settings.configure()"
    messages = [
        message
        for message in django_checks.run_checks(include_deployment_checks=production)
        if not message.is_silenced() and not str(message.id or "").startswith("funding.")
    ]
    errors = [m for m in messages if m.level >= django_checks.ERROR]
    warnings = [m for m in messages if django_checks.WARNING <= m.level < django_checks.ERROR]
    command = "manage.py check --deploy" if production else "manage.py check"
    hosts = list(settings.ALLOWED_HOSTS)
    if production and settings.DEBUG:
        return Finding(
            "settings", FAIL, f"{module}: DEBUG is on", "unset DEBUG in the site's environment"
        )
    if production and not settings.SECRET_KEY:
        return Finding("settings", FAIL, f"{module}: SECRET_KEY is empty", "set SECRET_KEY")
    if production and not hosts:
        return Finding(
            "settings",
            FAIL,
            f"{module}: ALLOWED_HOSTS is empty, every request is refused",
            "set ALLOWED_HOSTS=news.example.org (the site's host names)",
        )
    if errors:
        return Finding(
            "settings",
            FAIL,
            f"{module}: {len(errors)} system check error(s): {_message_line(errors[0])}",
            f"{command} lists them all, with what to change",
        )
    if production and "*" in hosts:
        return Finding(
            "settings",
            WARN,
            f"{module}: ALLOWED_HOSTS is '*', any Host header is answered",
            "set ALLOWED_HOSTS to the site's host names",
        )
    if warnings:
        return Finding(
            "settings",
            WARN,
            f"{module}: {len(warnings)} system check warning(s): {_message_line(warnings[0])}",
            f"{command} lists them all, with what to change",
        )
    if settings.DEBUG:
        return Finding(
            "settings",
            WARN,
            f"{module}: DEBUG is on (error pages show code and settings)",
            "unset DEBUG unless you are debugging on your own machine",
        )
    which = "system and deployment checks" if production else "system checks"
    return Finding(
        "settings",
        OK,
        f"{module}: {which} clean, DEBUG off, ALLOWED_HOSTS {', '.join(hosts)}",
    )


def database_check() -> Finding:
    """A new connection to the database answers (``health.database_check``)."""
    from django.db import connections

    result = health.database_check()
    if result.ok:
        return Finding("database", OK, result.detail)
    todo = (
        "check DATABASE_URL and that PostgreSQL runs (systemctl status postgresql)"
        if connections["default"].vendor == "postgresql"
        else "check DATABASE_URL, and that the database file exists and the site's user may "
        "write it (manage.py migrate creates it)"
    )
    return Finding("database", FAIL, f"the database does not answer: {result.detail}", todo)


def cache_check() -> Finding:
    """The shared cache (Redis, or diskcache on a laptop) stores and returns a value."""
    result = health.cache_check()
    if result.ok:
        return Finding("cache", OK, result.detail)
    where = (
        "check REDIS_URL and that Redis runs (systemctl status redis-server)"
        if setting("REDIS_URL")
        else "check that the data folder's cache/ is writable by the site's user"
    )
    return Finding("cache", FAIL, f"the cache does not answer: {result.detail}", where)


def _names(keys: Iterable[tuple[str, str]], *, limit: int = 3) -> str:
    keys = sorted(keys)
    shown = ", ".join(f"{app}.{name}" for app, name in keys[:limit])
    return shown + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def migrations_check() -> Finding:
    """Every migration of the code is applied (the migration plan is empty), and the database
    has none this code does not know (it was migrated by a newer release)."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    connection = connections["default"]
    try:
        executor = MigrationExecutor(connection)
        graph = executor.loader.graph
        plan = executor.migration_plan(graph.leaf_nodes())
        apps = {app for app, _ in graph.nodes}
        # Migrations a squashed one replaced are known too (applied before the squash).
        known = set(graph.nodes) | set(executor.loader.disk_migrations)
        for squashed in executor.loader.replacements.values():
            known.update(squashed.replaces)
        unknown = {
            key for key in executor.loader.applied_migrations if key[0] in apps and key not in known
        }
    finally:
        connection.close()
    if plan:
        return Finding(
            "migrations",
            FAIL,
            f"{len(plan)} migration(s) not applied: "
            f"{_names((m.app_label, m.name) for m, _ in plan)}",
            f"manage.py upgrade (backs up, then migrates); {GUIDE}, 'Upgrading and rolling back'",
        )
    if unknown:
        return Finding(
            "migrations",
            FAIL,
            f"the database has {len(unknown)} migration(s) this code does not know "
            f"({_names(unknown)}): a newer release migrated it",
            "check out that release again, or restore its pre-upgrade backup with "
            f"manage.py rollback --backup PATH; {GUIDE}, 'Upgrading and rolling back'",
        )
    return Finding("migrations", OK, f"all applied ({len(graph.nodes)} migrations in the code)")


def _switch(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def payments_check() -> Finding:
    """A payment provider that moves money (Stripe live keys with a webhook secret), or the
    demo provider or Stripe's test mode deliberately allowed (``FUNDING_TEST_PAYMENTS=1``) or
    run under laptop settings. Funding's own system checks (funding.E001, E002) decide what
    fails; this check adds what is configured."""
    production = bool(setting("NEWSDESK_PRODUCTION"))
    errors = [
        message
        for message in django_checks.run_checks(tags=["funding"])
        if message.level >= django_checks.ERROR and not message.is_silenced()
    ]
    if errors:
        return Finding(
            "payments",
            FAIL,
            f"{errors[0].id}: {errors[0].msg}",
            errors[0].hint or "see newsdesk/funding/README.md",
        )
    key = str(setting("STRIPE_SECRET_KEY") or "")
    test_mode = key.startswith(("sk_test_", "rk_test_"))
    if key and not test_mode:
        return Finding("payments", OK, "Stripe with live keys and a webhook secret")
    what = "Stripe test-mode keys" if key else "the demo provider (no STRIPE_SECRET_KEY)"
    if production and _switch(setting("FUNDING_TEST_PAYMENTS")):
        return Finding(
            "payments",
            OK,
            f"{what}, allowed by FUNDING_TEST_PAYMENTS=1: a staging site, gifts move no money",
        )
    return Finding("payments", OK, f"{what} under laptop settings: gifts move no money")
