"""``manage.py doctor``: is this install healthy, and if not, what to do about it.

Like ``ghost doctor``: each check looks at one thing a running install needs (its settings,
the database, the cache, its migrations, the workers and their queue, a payment provider,
client addresses through the proxy, recent backups, collected static files) and answers one
``Finding``: OK, WARN or FAIL, what it found, and for anything not OK what to do (a command, a
setting, a section of docs/production.md). The checks live in ``basics.py`` (settings, stores,
migrations, payments) and ``running.py`` (workers, proxy, backups, static files); each never
raises: a check that breaks is itself a FAIL saying so.
"""

from newsdesk.core.doctor.findings import FAIL, OK, WARN, Finding, exit_code, render

__all__ = ["FAIL", "OK", "WARN", "Finding", "doctor_run", "exit_code", "render"]


def doctor_run() -> list["Finding"]:
    """Every check, in the order an operator reads them (settings first, static files last)."""
    from newsdesk.core.doctor import basics, running
    from newsdesk.core.doctor.findings import guarded

    checks = (
        basics.settings_check,
        basics.database_check,
        basics.cache_check,
        basics.migrations_check,
        running.workers_check,
        basics.payments_check,
        running.proxy_check,
        running.backups_check,
        running.static_check,
    )
    return [guarded(check) for check in checks]
