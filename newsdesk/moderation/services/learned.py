"""The site's learned model: training and storing it, the starter model a fresh install
stores once (so no comment waits for a training), and the worker's daily retrain."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from newsdesk.moderation import conf
from newsdesk.moderation.learning import TrainingExample, classifier_train, serialize
from newsdesk.moderation.models import LearnedModel
from newsdesk.moderation.selectors import (
    human_decisions_since,
    training_examples_list,
    training_examples_shipped,
)


def learned_model_train(
    *, examples: list[TrainingExample] | None = None, measure: bool = True
) -> LearnedModel:
    """Train the site's classifier on ``examples`` (default: ``training_examples_list()``),
    measure it by cross-validation, store it as the newest ``LearnedModel`` and keep only
    the newest ``conf.LEARNED_MODELS_KEPT``. Raises ValueError with fewer than two labels."""
    from sklearn import __version__ as sklearn_version

    if examples is None:
        examples = training_examples_list()
    trained = classifier_train(examples, measure=measure)  # slow part, outside the transaction
    with transaction.atomic():
        model = LearnedModel.objects.create(
            labels=trained.labels,
            example_count=trained.example_count,
            metrics=trained.metrics,
            sklearn_version=sklearn_version,
            serialized=serialize(trained.pipeline),
        )
        stale = LearnedModel.objects.order_by("-pk").values_list("pk", flat=True)[
            conf.LEARNED_MODELS_KEPT :
        ]
        LearnedModel.objects.filter(pk__in=list(stale)).delete()
    return model


def learned_model_starter_ensure() -> LearnedModel | None:
    """Store the starter model (trained on the shipped tuning set) when no usable model is
    stored yet; return it, or None when one exists. The worker does this at start-up."""
    from sklearn import __version__ as sklearn_version

    if LearnedModel.objects.filter(sklearn_version=sklearn_version).exists():
        return None
    return learned_model_train(examples=training_examples_shipped(), measure=False)


def learned_model_retrain_if_due(*, now: datetime | None = None) -> LearnedModel | None:
    """Retrain when moderators decided since the newest model and that model is at least
    ``conf.RETRAIN_EVERY`` seconds old (the worker asks every minute)."""
    now = now or timezone.now()
    newest = LearnedModel.objects.order_by("-pk").first()
    since = newest.created_at if newest else None
    if since is not None and now - since < timedelta(seconds=conf.RETRAIN_EVERY):
        return None
    if not human_decisions_since(since=since):
        return None
    return learned_model_train()
