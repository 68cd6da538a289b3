"""A newsroom's own ONNX classifier as the "onnx" signal: loading, batching, failures.

Every model here is built by ``onnx_builder`` in the test's folder, so each test knows which
words push which label; nothing is downloaded.
"""

import logging
import math

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from newsdesk.discussion.pipeline import Verdict
from newsdesk.moderation import onnx_model
from newsdesk.moderation.checks import onnx_model_check
from newsdesk.moderation.scoring import comment_candidate_assess
from newsdesk.moderation.signals import onnx, prepare, signals_run

from .conftest import candidate
from .onnx_builder import model_write

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_onnx_model_kept")]

HATEFUL = "Those people are vermin"
NEUTRAL = "Thanks for the council report, the figures add up."


@pytest.fixture
def model(tmp_path, settings):
    """The default tiny model (labels ok, hate, spam in its metadata), configured."""
    path = model_write(tmp_path)
    settings.MODERATION_ONNX_MODEL = str(path)
    return path


def onnx_result(body: str):
    results = signals_run([prepare(candidate(body))])[0]
    return next(result for result in results if result.signal == "onnx")


def test_a_hateful_word_scores_high_and_a_neutral_text_low_through_the_pipeline(tmp_path):
    from newsdesk.moderation.models import ModerationSettings

    path = model_write(tmp_path)
    with override_settings(MODERATION_ONNX_MODEL=str(path)):
        by_default = comment_candidate_assess(candidate=candidate(HATEFUL))
        # A newsroom that trusts its model alone gives it a hold score of its own.
        site = ModerationSettings.load()
        site.onnx_hold = 0.5
        site.save()
        hateful = comment_candidate_assess(candidate=candidate(HATEFUL))
        neutral = comment_candidate_assess(candidate=candidate(NEUTRAL))
    # By default the model holds only through the combined evidence, which weighs it.
    assert not any("the newsroom's onnx model" in reason for reason in by_default.reasons[:1])
    assert hateful.scores["onnx"] > 0.95
    assert hateful.verdict != Verdict.PUBLISH
    assert any("the newsroom's onnx model 0.9" in reason for reason in hateful.reasons)
    assert any("the ONNX model reads it as hate (0.9" in reason for reason in hateful.reasons)
    assert neutral.scores["onnx"] < 0.1
    assert neutral.verdict == Verdict.PUBLISH
    assert any("the ONNX model reads it as ok (0.9" in reason for reason in neutral.reasons)


def test_the_probabilities_stay_in_the_memo_for_other_signals(model):
    prepared = [prepare(candidate(HATEFUL)), prepare(candidate("Best casino bonus"))]
    signals_run(prepared)
    hate, spam = (item.memo["onnx"] for item in prepared)
    assert set(hate) == {"ok", "hate", "spam"}
    assert sum(hate.values()) == pytest.approx(1.0)
    assert max(hate, key=hate.get) == "hate"
    assert max(spam, key=spam.get) == "spam"


def test_with_no_model_configured_the_signal_does_not_run(settings):
    settings.MODERATION_ONNX_MODEL = ""
    assert not onnx.enabled()
    assessment = comment_candidate_assess(candidate=candidate(HATEFUL))
    assert "onnx" not in assessment.scores
    assert onnx_model_check() == []


def test_a_long_list_is_scored_in_chunks_with_the_numbers_of_one_by_one(model, monkeypatch):
    texts = [
        "the council report " * (i % 7)
        + ("vermin" if i % 3 == 0 else "casino" if i % 5 == 0 else "clear")
        for i in range(150)
    ]
    classifier = onnx_model.classifier_current()
    one_by_one = [
        onnx_model.probabilities(classifier=classifier, texts=[text])[0] for text in texts
    ]
    session_class = type(classifier.session)
    real_run = session_class.run
    batches = []

    def counting_run(self, output_names, feeds, *args, **kwargs):
        batches.append(len(feeds["input_ids"]))
        return real_run(self, output_names, feeds, *args, **kwargs)

    monkeypatch.setattr(session_class, "run", counting_run)
    prepared = [prepare(candidate(text)) for text in texts]
    results = onnx.score_many(prepared)

    assert len(batches) == math.ceil(150 / onnx_model.CHUNK_SIZE)
    assert max(batches) == onnx_model.CHUNK_SIZE and sum(batches) == 150
    for item, expected in zip(prepared, one_by_one, strict=True):
        assert item.memo["onnx"] == pytest.approx(expected, abs=1e-6)
    scores = [result.score for result in results]
    assert scores == pytest.approx([1 - row["ok"] for row in one_by_one], abs=1e-6)
    assert scores[0] > 0.9 and scores[1] < 0.1  # "vermin", then "the council report clear"


def test_a_multi_label_model_scores_each_label_by_its_own_sigmoid(tmp_path, settings):
    path = model_write(
        tmp_path,
        labels=("toxic", "insult"),
        words={"vermin": "toxic", "fool": "insult"},
        bias=-4.0,
    )
    settings.MODERATION_ONNX_MODEL = str(path)
    insult = onnx_result("You fool")
    assert insult.score > 0.99
    assert insult.reason.startswith("the ONNX model reads it as insult (")
    prepared = prepare(candidate("You fool"))
    onnx.score_many([prepared])
    probabilities = prepared.memo["onnx"]
    assert probabilities["toxic"] == pytest.approx(1 / (1 + math.exp(4)), abs=1e-6)
    assert sum(probabilities.values()) > 1.0  # independent labels, not one distribution
    neutral = onnx_result(NEUTRAL)
    assert neutral.score == pytest.approx(1 / (1 + math.exp(4)), abs=1e-6)
    assert "none of its labels" in neutral.reason


def test_labels_come_from_the_setting_before_the_metadata(tmp_path, settings):
    path = model_write(tmp_path, metadata_labels=False)
    settings.MODERATION_ONNX_MODEL = str(path)
    [error] = onnx_model_check()
    assert error.id == "moderation.E005" and "MODERATION_ONNX_LABELS" in error.msg

    settings.MODERATION_ONNX_LABELS = ["ok", "abuse", "spam"]
    assert onnx_model_check() == []
    assert onnx_result(HATEFUL).reason.startswith("the ONNX model reads it as abuse (")


def test_labels_are_read_from_the_models_metadata(model):
    assert onnx_model_check() == []
    assert onnx_model.classifier_current().labels == ("ok", "hate", "spam")
    # The check's load is the one the signal uses: the model is loaded once per process.
    assert onnx_model.classifier_current() is onnx_model.classifier_current()


def test_a_model_with_token_type_ids_gets_them(tmp_path, settings):
    settings.MODERATION_ONNX_MODEL = str(model_write(tmp_path, token_type_ids=True))
    assert onnx_model_check() == []
    assert onnx_result(HATEFUL).score > 0.95


def test_a_comment_is_read_up_to_the_token_limit(model, settings):
    late = "the council report is vermin"
    assert onnx_result(late).score > 0.5
    onnx_model._loaded.clear()
    settings.MODERATION_ONNX_MAX_TOKENS = 4
    assert onnx_result(late).score < 0.1


def _missing_file(tmp_path, settings):
    settings.MODERATION_ONNX_MODEL = str(tmp_path / "absent.onnx")


def _garbage(tmp_path, settings):
    model_write(tmp_path)
    (tmp_path / "model.onnx").write_bytes(b"\x08\x07not a model at all\xff\xfe" * 40)
    settings.MODERATION_ONNX_MODEL = str(tmp_path / "model.onnx")


def _wrong_inputs(tmp_path, settings):
    settings.MODERATION_ONNX_MODEL = str(model_write(tmp_path, input_names=("tokens", "mask")))


def _label_count(tmp_path, settings):
    settings.MODERATION_ONNX_MODEL = str(model_write(tmp_path, outputs=4))


def _broken_tokenizer(tmp_path, settings):
    settings.MODERATION_ONNX_MODEL = str(model_write(tmp_path))
    (tmp_path / "tokenizer.json").write_text('{"version": "1.0", "model": {', encoding="utf-8")


def _missing_tokenizer(tmp_path, settings):
    settings.MODERATION_ONNX_MODEL = str(model_write(tmp_path))
    settings.MODERATION_ONNX_TOKENIZER = str(tmp_path / "elsewhere" / "tokenizer.json")


@pytest.mark.parametrize(
    ("make", "check_id", "words"),
    [
        (_missing_file, "moderation.E002", ["absent.onnx", "is not a file"]),
        (_garbage, "moderation.E003", ["model.onnx", "is not an ONNX model"]),
        (_wrong_inputs, "moderation.E004", ["no input input_ids", "cannot give: tokens"]),
        (_label_count, "moderation.E005", ["gives 4 scores", "3 labels (ok, hate, spam)"]),
        (_broken_tokenizer, "moderation.E006", ["tokenizer.json", "is not a tokenizer"]),
        (_missing_tokenizer, "moderation.E006", ["elsewhere", "is not a file"]),
    ],
)
def test_a_model_that_cannot_be_used_stops_the_start(tmp_path, settings, make, check_id, words):
    make(tmp_path, settings)
    [error] = onnx_model_check()
    assert error.id == check_id
    for word in words:
        assert word in error.msg
    assert error.hint
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    assert check_id in str(raised.value) and words[-1] in str(raised.value)


def test_a_model_missing_at_scoring_time_scores_zero_and_logs(tmp_path, settings, caplog):
    settings.MODERATION_ONNX_MODEL = str(tmp_path / "vanished.onnx")
    with caplog.at_level(logging.ERROR, logger="newsdesk.moderation.signals.onnx"):
        assessment = comment_candidate_assess(candidate=candidate(NEUTRAL))
    assert assessment.scores["onnx"] == 0.0
    assert assessment.verdict == Verdict.PUBLISH  # the other signals decided
    assert any("the ONNX model failed: " in reason for reason in assessment.reasons)
    assert any(
        record.levelno == logging.ERROR and "ONNX model failed" in record.getMessage()
        for record in caplog.records
    )


def test_a_model_failing_while_it_runs_scores_zero_and_logs(model, monkeypatch, caplog):
    session_class = type(onnx_model.classifier_current().session)

    def broken_run(self, *args, **kwargs):
        raise RuntimeError("the model's file went away")

    monkeypatch.setattr(session_class, "run", broken_run)
    with caplog.at_level(logging.ERROR, logger="newsdesk.moderation.signals.onnx"):
        result = onnx_result(HATEFUL)
    assert result.score == 0.0
    assert result.reason == "the ONNX model failed: the model's file went away"
    assert [r.levelno for r in caplog.records if r.name.endswith("signals.onnx")] == [logging.ERROR]
