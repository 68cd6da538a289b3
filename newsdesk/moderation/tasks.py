"""Background tasks of the moderation app, run by the worker."""

from django_tasks import task

from newsdesk.moderation.services import learned_model_train


@task()
def learned_model_retrain() -> dict:
    """Retrain the site's classifier from the labelled set and moderators' decisions."""
    model = learned_model_train()
    return {"learned_model": model.pk, "examples": model.example_count, "metrics": model.metrics}
