"""The stacker with a newsroom's ONNX model among its inputs: what it reads when the model
is gone, and why a starter bundle is trained again when the model changes."""

import pytest

from newsdesk.moderation import onnx_model
from newsdesk.moderation.signals import learned, prepare, signals_run
from newsdesk.moderation.stacking import bundle_train, feature_names, feature_rows

from .conftest import candidate
from .onnx_builder import model_write
from .test_stacking import SMALL

pytestmark = pytest.mark.usefixtures("no_onnx_model_kept")

HARMLESS = "the council says the bridge repairs start next spring"


def test_a_missing_score_takes_the_columns_fill_and_a_given_one_its_log_odds():
    features = feature_names(onnx=True)
    column = features.index("onnx")
    given = dict(words=[{}], meaning=[{}], reach=[False], lengths=[5], fill={"onnx": 1.5})
    [missing] = feature_rows(features=features, scores=[{"hate": 0.2}], **given)
    [present] = feature_rows(features=features, scores=[{"onnx": 0.5}], **given)
    assert missing[column] == 1.5
    assert present[column] == pytest.approx(0.0)  # log-odds of 0.5


@pytest.mark.django_db
def test_a_bundle_weighing_the_model_reads_no_evidence_when_the_model_is_gone(tmp_path, settings):
    settings.MODERATION_ONNX_MODEL = str(model_write(tmp_path, words={"vermin": "hate"}))
    bundle = bundle_train(SMALL, measure=False)
    assert "onnx" in bundle.features
    training = [example.text for example in SMALL]
    assert bundle.fill["onnx"] == pytest.approx(
        sum(
            feature_rows(
                features=bundle.features,
                scores=[{"onnx": 1.0 - p["ok"]}],
                words=[{}],
                meaning=[{}],
                reach=[False],
                lengths=[1],
            )[0][bundle.features.index("onnx")]
            for p in onnx_model.probabilities(
                classifier=onnx_model.classifier_current(),
                texts=[prepare(candidate(text)).text for text in training],
            )
        )
        / len(training)
    )

    def combined_of(text):
        item = prepare(candidate(text))
        row = {result.signal: result for result in signals_run([item], bundle=bundle)[0]}
        return row["combined"].score, row["onnx"].reason if "onnx" in row else None

    settings.MODERATION_ONNX_MODEL = str(tmp_path / "vanished.onnx")
    onnx_model._loaded.clear()
    gone, reason = combined_of(HARMLESS)
    assert reason.startswith("the ONNX model failed")
    settings.MODERATION_ONNX_MODEL = ""
    unset, reason = combined_of(HARMLESS)
    assert reason is None  # not run
    # Without the model, the stacker reads the column's training mean: the same for a model
    # failing and a model removed, and not "the model is sure it is ok" (a score of 0).
    assert gone == pytest.approx(unset)
    bundle.fill.clear()
    as_if_certain = combined_of(HARMLESS)[0]
    assert as_if_certain != pytest.approx(unset)


@pytest.mark.django_db
def test_the_starter_bundle_is_trained_again_when_the_onnx_model_changes(tmp_path, settings):
    settings.MODERATION_ONNX_MODEL = ""
    without = learned._starter_fingerprint()
    settings.MODERATION_ONNX_MODEL = str(model_write(tmp_path))
    with_model = learned._starter_fingerprint()
    assert with_model != without
    (tmp_path / "model.onnx").write_bytes((tmp_path / "model.onnx").read_bytes() + b"\0")
    assert learned._starter_fingerprint() != with_model  # the file was replaced
    settings.MODERATION_ONNX_MODEL = str(tmp_path / "absent.onnx")
    assert learned._starter_fingerprint()  # the start-up check reports a missing file
