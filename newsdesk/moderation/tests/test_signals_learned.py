"""The site's learned model: trained by a task, stored with its metrics, used for scoring."""

import numpy as np
import pytest

from newsdesk.moderation.learning import (
    TrainingExample,
    deserialize,
    fast_probabilities,
    pipeline_build,
)
from newsdesk.moderation.models import LearnedModel
from newsdesk.moderation.selectors import training_examples_list
from newsdesk.moderation.services import learned_model_train
from newsdesk.moderation.signals import learned
from newsdesk.moderation.stacking import BUNDLE_VERSION
from newsdesk.moderation.tasks import learned_model_retrain

pytestmark = pytest.mark.django_db

SMALL_SET = [
    TrainingExample(text, label)
    for text, label in [
        ("the budget vote is on thursday", "ok"),
        ("thanks for the clear reporting on the dam", "ok"),
        ("the minister resigned after the audit", "ok"),
        ("great summary of the treaty talks", "ok"),
        ("earn money fast from home whatsapp me", "spam"),
        ("cheap pills no prescription order now", "spam"),
        ("crypto profit guaranteed message me", "spam"),
        ("best casino bonus click now", "spam"),
    ]
]


def test_fast_probabilities_equal_the_pipeline_own():
    pipeline = pipeline_build().fit([e.text for e in SMALL_SET], [e.label for e in SMALL_SET])
    texts = ["order cheap pills now", "the dam vote", ""]
    assert np.allclose(fast_probabilities(pipeline, texts), pipeline.predict_proba(texts))
    examples = training_examples_list()[:120]
    four_labels = pipeline_build().fit([e.text for e in examples], [e.label for e in examples])
    assert np.allclose(fast_probabilities(four_labels, texts), four_labels.predict_proba(texts))


def test_training_stores_the_model_with_cross_validated_metrics():
    model = learned_model_train(examples=SMALL_SET)
    assert model.example_count == 8
    assert sorted(model.labels) == ["ok", "spam"]
    assert model.metrics["cross_validated"] is True
    assert set(model.metrics["per_label"]) == {"ok", "spam"}
    assert model.bundle_version == BUNDLE_VERSION
    restored = deserialize(bytes(model.serialized))
    assert list(restored.words.predict(["cheap pills order now"])) == ["spam"]
    assert list(restored.stacker.classes_) == ["ok", "spam"]


def test_training_keeps_only_the_newest_models(settings):
    from newsdesk.moderation import conf

    for _ in range(conf.LEARNED_MODELS_KEPT + 2):
        newest = learned_model_train(examples=SMALL_SET)
    assert LearnedModel.objects.count() == conf.LEARNED_MODELS_KEPT
    assert LearnedModel.objects.order_by("-pk").first() == newest


def test_training_needs_two_labels():
    with pytest.raises(ValueError, match="two labels"):
        learned_model_train(examples=[TrainingExample("hello", "ok")] * 3)
    assert not LearnedModel.objects.exists()


def test_the_retrain_task_trains_from_the_labelled_set_and_the_signal_uses_it(score):
    result = learned_model_retrain.enqueue()
    stored = LearnedModel.objects.get()
    assert result.return_value["learned_model"] == stored.pk
    assert stored.example_count == len(training_examples_list())
    assert stored.metrics["per_label"]["spam"]["recall"] > 0.5
    assert learned.current_bundle() is learned._loaded[stored.pk]

    spam = score(learned, "cheap watches, order now, discount code, whatsapp me for deals")
    assert spam.score >= 0.5
    assert "spam" in spam.reason
    ok = score(learned, "The council published the flood report on its website yesterday.")
    assert ok.score < 0.5


def test_without_a_stored_model_a_bootstrap_model_scores(score):
    assert not LearnedModel.objects.exists()
    result = score(learned, "Cheap pills, no prescription, order now!")
    assert result.score >= 0.5
