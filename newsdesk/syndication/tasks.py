"""Background tasks of the syndication app, run by the worker."""

from django_tasks import task

from newsdesk.syndication.services import (
    poll_next_due_at,
    poll_run_request,
    source_poll,
    sources_poll_due,
)


def _report_dict(report) -> dict:
    return {
        "source": report.source_id,
        "result": str(report.result),
        "summary": report.summary(),
        "error": report.error[:500],
    }


@task()
def poll_due_sources() -> list[dict]:
    """Poll every due source, then queue itself for when the next one falls due.

    Started by the worker at start-up and whenever a source is added; it keeps itself going.
    """
    try:
        reports = sources_poll_due()
    finally:
        poll_run_request(when=poll_next_due_at())
    return [_report_dict(r) for r in reports]


@task()
def poll_source(source_id: int) -> dict | None:
    """Poll one source now (an editor's "Poll now")."""
    report = source_poll(source_id=source_id)
    return _report_dict(report) if report else None
