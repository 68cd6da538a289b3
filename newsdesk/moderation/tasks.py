"""Background tasks of the moderation app, run by the worker."""

from django_tasks import task

from newsdesk.moderation.services import learned_model_train


@task()
def learned_model_retrain() -> dict:
    """Retrain the site's classifier from the labelled set and moderators' decisions."""
    model = learned_model_train()
    return {"learned_model": model.pk, "examples": model.example_count, "metrics": model.metrics}


@task()
def evaluation_report_make() -> dict:
    """Run every evaluation protocol on the shipped labelled data and store the figures
    (minutes of work: a training per held-out group), for the admin's model page."""
    from newsdesk.moderation.services.evaluation import evaluation_report_run

    report, _ = evaluation_report_run()
    return {"evaluation_report": report.pk}


@task()
def appeal_outcome_send(*, appeal_id: int) -> bool:
    """E-mail an appeal's author what a moderator decided (once, however often it runs)."""
    from newsdesk.moderation.services.appeals import appeal_outcome_deliver

    return appeal_outcome_deliver(appeal_id=appeal_id)
