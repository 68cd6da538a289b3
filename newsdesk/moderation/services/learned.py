"""Writes of the moderation app."""

from django.db import transaction

from newsdesk.moderation import conf
from newsdesk.moderation.learning import TrainingExample, classifier_train, serialize
from newsdesk.moderation.models import LearnedModel
from newsdesk.moderation.selectors import training_examples_list


def learned_model_train(*, examples: list[TrainingExample] | None = None) -> LearnedModel:
    """Train the site's classifier on ``examples`` (default: ``training_examples_list()``),
    measure it by cross-validation, store it as the newest ``LearnedModel`` and keep only
    the newest ``conf.LEARNED_MODELS_KEPT``. Raises ValueError with fewer than two labels."""
    from sklearn import __version__ as sklearn_version

    if examples is None:
        examples = training_examples_list()
    trained = classifier_train(examples)  # slow part, outside the transaction
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
