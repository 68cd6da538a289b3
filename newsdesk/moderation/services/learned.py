"""The site's learned model: training and storing it, the starter model a fresh install
stores once (so no comment waits for a training), and the worker's daily retrain."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from newsdesk.moderation import conf
from newsdesk.moderation.learning import TrainingExample, serialize
from newsdesk.moderation.models import LearnedModel
from newsdesk.moderation.selectors import human_decisions_since, training_examples_list
from newsdesk.moderation.signals.learned import starter_bundle
from newsdesk.moderation.stacking import BUNDLE_VERSION, ModelBundle, bundle_train


def learned_model_train(
    *, examples: list[TrainingExample] | None = None, measure: bool = True
) -> LearnedModel:
    """Train the site's models on ``examples`` (default: ``training_examples_list()``),
    measure them by cross-validation and store them (``learned_model_store``). Raises
    ValueError with fewer than two labels or a label with fewer than two examples."""
    if examples is None:
        examples = training_examples_list()
    # The slow part, outside any transaction.
    return learned_model_store(bundle=bundle_train(examples, measure=measure))


def learned_model_store(*, bundle: ModelBundle) -> LearnedModel:
    """Store ``bundle`` as the newest ``LearnedModel`` and keep only the newest
    ``conf.LEARNED_MODELS_KEPT``."""
    from sklearn import __version__ as sklearn_version

    with transaction.atomic():
        model = LearnedModel.objects.create(
            labels=bundle.labels,
            example_count=bundle.example_count,
            metrics=bundle.metrics,
            sklearn_version=sklearn_version,
            bundle_version=bundle.version,
            serialized=serialize(bundle),
        )
        stale = LearnedModel.objects.order_by("-pk").values_list("pk", flat=True)[
            conf.LEARNED_MODELS_KEPT :
        ]
        LearnedModel.objects.filter(pk__in=list(stale)).delete()
    return model


def learned_model_starter_ensure() -> LearnedModel | None:
    """Store the starter models (trained on the shipped labelled set) when no usable model is
    stored yet; return it, or None when one exists. The worker does this at start-up."""
    from sklearn import __version__ as sklearn_version

    usable = LearnedModel.objects.filter(
        sklearn_version=sklearn_version, bundle_version=BUNDLE_VERSION
    )
    if usable.exists():
        return None
    # The starter bundle this machine already trained (the model cache), stored as a row.
    return learned_model_store(bundle=starter_bundle())


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
