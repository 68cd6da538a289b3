"""A model fine-tuned on the site's examples (``moderation_finetune``): its held-out scores,
its folds, its output folder and its refusals.

The training itself needs PyTorch (the ``finetune`` dependency group). These tests replace the three
PyTorch steps (fine-tune, predict, export) with stand-ins that record what they were given and
write a tiny ONNX model (``onnx_builder``), so they prove, without PyTorch, what the command
promises: no example is scored by a model that saw it or its target group, the folder loads
as the ONNX signal's model, and a failure leaves the old folder as it was. The last test runs
the real PyTorch path on a tiny encoder where the group is installed.
"""

import json
import sys

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from newsdesk.moderation import finetune, onnx_model
from newsdesk.moderation.checks import onnx_model_check
from newsdesk.moderation.learning import LABELS, TrainingExample
from newsdesk.moderation.signals import onnx, prepare
from newsdesk.moderation.stacking import feature_names, prepared_texts

from .conftest import candidate
from .onnx_builder import model_write, tokenizer_write

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_onnx_model_kept")]

HATEFUL = "Those people are vermin"
NEUTRAL = "Thanks for the council report, the figures add up."


def held_out_file(folder, labels, scores):
    content = {"labels": list(labels), "scores": scores}
    (folder / onnx_model.HELD_OUT_FILE).write_text(json.dumps(content), encoding="utf-8")


def onnx_probabilities(body):
    item = prepare(candidate(body))
    onnx.score_many([item])
    return item.memo["onnx"]


def test_a_text_the_model_was_trained_on_gets_its_held_out_probabilities(tmp_path, settings):
    settings.MODERATION_ONNX_MODEL = str(model_write(tmp_path))  # labels ok, hate, spam
    [key_text] = prepared_texts([HATEFUL])
    held_out_file(
        tmp_path, ("ok", "hate", "spam"), {onnx_model.text_key(key_text): [0.8, 0.15, 0.05]}
    )

    # The model itself reads "vermin" as hate; the held-out model read it as ok.
    assert onnx_probabilities(HATEFUL) == pytest.approx({"ok": 0.8, "hate": 0.15, "spam": 0.05})
    # A text the model never trained on is run through it.
    assert onnx_probabilities(NEUTRAL)["ok"] > 0.9
    assert onnx_probabilities(HATEFUL + " indeed")["hate"] > 0.9
    # In one batch, each text keeps its own: the stored one, and the model's for the others.
    classifier = onnx_model.classifier_current()
    texts = [NEUTRAL, key_text, "", HATEFUL + " indeed"]
    rows = onnx_model.probabilities(classifier=classifier, texts=texts)
    assert rows[1] == pytest.approx({"ok": 0.8, "hate": 0.15, "spam": 0.05})
    assert rows[0]["ok"] > 0.9 and rows[2]["ok"] == 1.0 and rows[3]["hate"] > 0.9


def _not_json(folder):
    (folder / onnx_model.HELD_OUT_FILE).write_text("{scores: ", encoding="utf-8")


def _other_labels(folder):
    held_out_file(folder, ("ok", "spam", "hate"), {"a": [1.0, 0.0, 0.0]})


def _short_row(folder):
    held_out_file(folder, ("ok", "hate", "spam"), {"a": [1.0, 0.0]})


def _no_scores(folder):
    (folder / onnx_model.HELD_OUT_FILE).write_text('{"labels": []}', encoding="utf-8")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_not_json, "cannot be used"),
        (_other_labels, "are not the model's ['ok', 'hate', 'spam']"),
        (_short_row, "one probability per label"),
        (_no_scores, 'an object with "labels" and "scores"'),
    ],
)
def test_a_broken_held_out_file_stops_the_start(tmp_path, settings, make, words):
    settings.MODERATION_ONNX_MODEL = str(model_write(tmp_path))
    make(tmp_path)
    [error] = onnx_model_check()
    assert error.id == "moderation.E008"
    assert onnx_model.HELD_OUT_FILE in error.msg and words in error.msg
    assert "moderation_finetune" in error.hint
    with pytest.raises(SystemCheckError):
        call_command("check")


# --- the command, with PyTorch's steps stood in for ---------------------------------------------


def examples_made() -> list[TrainingExample]:
    rows = []
    for group in ("women", "migrants", "religion"):
        rows += [TrainingExample(f"{group} hate {i}", "hate", group=group) for i in range(6)]
        rows += [TrainingExample(f"{group} news {i}", "ok", group=group) for i in range(6)]
    rows += [TrainingExample(f"cheap pills {i} example com", "spam") for i in range(10)]
    rows += [TrainingExample(f"you fool number {i}", "abuse") for i in range(10)]
    rows += [TrainingExample(f"the vote was close {i}", "ok", weight=4.0) for i in range(10)]
    return rows


def held_out_row(text: str) -> list[float]:
    """A stand-in's probabilities of ``text``: its own, so a mix-up of rows would show."""
    ok = 0.5 + len(text) % 7 / 20
    return [ok, *[(1 - ok) / 3] * 3]


@pytest.fixture
def stand_ins(monkeypatch, tmp_path):
    """PyTorch's steps replaced: each "model" is the set of texts it was trained on."""
    calls = {"trained": [], "scored": []}

    def fake_finetune(base, texts, labels, weights, *, epochs, seed, progress):
        calls["trained"].append((list(texts), list(labels), list(weights)))
        return frozenset(texts)

    def fake_probabilities(model, base, texts):
        calls["scored"].append((model, list(texts)))
        return np.array([held_out_row(text) for text in texts])

    def fake_export(model, path, *, quantize):
        built = tmp_path / "built"
        built.mkdir(exist_ok=True)
        written = model_write(built, labels=LABELS, words={"vermin": "hate"})
        path.write_bytes(written.read_bytes())

    monkeypatch.setattr(finetune, "requirements_check", lambda: None)
    monkeypatch.setattr(finetune, "_finetune", fake_finetune)
    monkeypatch.setattr(finetune, "_probabilities", fake_probabilities)
    monkeypatch.setattr(finetune, "_onnx_export", fake_export)
    base = tmp_path / "encoder"
    base.mkdir()
    (base / "config.json").write_text("{}", encoding="utf-8")
    (base / "model.safetensors").write_bytes(b"")
    tokenizer_write(base / "tokenizer.json", {"vermin": "hate"})
    calls["base"] = base
    return calls


def test_no_example_is_scored_by_a_model_that_saw_it_or_its_group(stand_ins, tmp_path, settings):
    examples = examples_made()
    group_of = {
        text: e.group
        for text, e in zip(prepared_texts([e.text for e in examples]), examples, strict=True)
    }
    result = finetune.finetune_run(
        base=stand_ins["base"], out=tmp_path / "site-model", examples=examples, folds=3
    )

    assert len(stand_ins["trained"]) == 4  # a model per fold, then the model on every example
    final_texts, _, final_weights = stand_ins["trained"][-1]
    assert sorted(final_texts) == sorted(group_of)
    assert final_weights.count(4.0) == 10  # moderators' decisions keep their weight
    scored = [text for _, texts in stand_ins["scored"] for text in texts]
    assert sorted(scored) == sorted(group_of)  # every example scored once, held out
    for model, texts in stand_ins["scored"]:
        assert not model & set(texts)
        seen_groups = {group_of[text] for text in model}
        assert not {group_of[text] for text in texts if group_of[text]} & seen_groups

    # The folder loads as the ONNX signal's model, and its held-out scores are used.
    folder = result.folder
    assert sorted(p.name for p in folder.iterdir()) == [
        "held_out_scores.json",
        "model.onnx",
        "model_card.json",
        "tokenizer.json",
    ]
    assert folder.stat().st_mode & 0o777 == 0o755  # readable by the web processes' user
    card = json.loads((folder / "model_card.json").read_text())
    assert card["base"] == "encoder"
    assert card["examples"] == len(examples) and card["folds"] == 3
    assert card["examples_by_label"] == {"ok": 28, "spam": 10, "abuse": 10, "hate": 18}
    settings.MODERATION_ONNX_MODEL = str(folder / "model.onnx")
    assert onnx_model_check() == []
    for text in ("women hate 3", "you fool number 7", "the vote was close 0"):
        expected = dict(zip(LABELS, held_out_row(text), strict=True))
        assert onnx_probabilities(text) == pytest.approx(expected, abs=1e-4)  # stored to 5 places
    assert onnx_probabilities("They are vermin")["hate"] > 0.9  # not a training text


def test_a_failed_run_leaves_the_old_folder_as_it_was(stand_ins, tmp_path, monkeypatch):
    out = tmp_path / "site-model"
    out.mkdir()
    (out / "model.onnx").write_bytes(b"the model in use")

    def export_fails(model, path, *, quantize):
        path.write_bytes(b"half a model")
        raise RuntimeError("disk full")

    monkeypatch.setattr(finetune, "_onnx_export", export_fails)
    with pytest.raises(RuntimeError):
        finetune.finetune_run(base=stand_ins["base"], out=out, examples=examples_made(), folds=3)
    # Only the finished folds stay beside it, for the next run; no half-written model folder.
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-model")] == [
        ".site-model-folds-kept"
    ]
    assert (out / "model.onnx").read_bytes() == b"the model in use"


def interrupting(monkeypatch, *, after: int) -> None:
    """Make the stand-in fine-tuning stop the run at its call number ``after + 1``."""
    trained = finetune._finetune
    calls = {"n": 0}

    def stops(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > after:
            raise KeyboardInterrupt
        return trained(*args, **kwargs)

    monkeypatch.setattr(finetune, "_finetune", stops)


def test_a_run_stopped_part_way_starts_again_after_the_folds_it_finished(
    stand_ins, tmp_path, monkeypatch
):
    out = tmp_path / "site-model"
    examples = examples_made()
    with monkeypatch.context() as patch:
        interrupting(patch, after=2)
        with pytest.raises(KeyboardInterrupt):
            finetune.finetune_run(base=stand_ins["base"], out=out, examples=examples, folds=3)
    assert not out.exists()
    kept = tmp_path / ".site-model-folds-kept"
    assert sorted(p.name for p in kept.iterdir()) == ["fold-0.json", "fold-1.json"]

    stand_ins["trained"].clear()
    messages = []
    finetune.finetune_run(
        base=stand_ins["base"], out=out, examples=examples, folds=3, progress=messages.append
    )
    assert len(stand_ins["trained"]) == 2  # the third fold, then the model on every example
    assert messages[:2] == [
        "fold 1 of 3: kept from an interrupted run",
        "fold 2 of 3: kept from an interrupted run",
    ]
    # Every example's held-out scores are there, the kept ones with the new ones.
    scores = json.loads((out / "held_out_scores.json").read_text())["scores"]
    texts = prepared_texts([e.text for e in examples])
    assert len(scores) == len(texts)
    for text in texts:
        assert scores[onnx_model.text_key(text)] == pytest.approx(held_out_row(text), abs=1e-4)
    assert not kept.exists()  # the model is written: nothing left to resume


def test_folds_kept_from_other_examples_or_half_written_are_done_again(
    stand_ins, tmp_path, monkeypatch
):
    out = tmp_path / "site-model"
    with monkeypatch.context() as patch:
        interrupting(patch, after=2)
        with pytest.raises(KeyboardInterrupt):
            finetune.finetune_run(
                base=stand_ins["base"], out=out, examples=examples_made(), folds=3
            )
    kept = tmp_path / ".site-model-folds-kept"
    (kept / "fold-1.json").write_text('{"fingerprint": "', encoding="utf-8")  # a crash mid-write

    stand_ins["trained"].clear()
    finetune.finetune_run(base=stand_ins["base"], out=out, examples=examples_made(), folds=3)
    assert len(stand_ins["trained"]) == 3  # fold 1 again, fold 2, the model

    # A moderator's decision since: the examples differ, so no kept fold is theirs.
    with monkeypatch.context() as patch:
        interrupting(patch, after=2)
        with pytest.raises(KeyboardInterrupt):
            finetune.finetune_run(
                base=stand_ins["base"], out=out, examples=examples_made(), folds=3
            )
    stand_ins["trained"].clear()
    more = [*examples_made(), TrainingExample("a decided comment", "ok", weight=4.0)]
    finetune.finetune_run(base=stand_ins["base"], out=out, examples=more, folds=3)
    assert len(stand_ins["trained"]) == 4
    assert not kept.exists()


def test_a_second_run_replaces_the_folder(stand_ins, tmp_path):
    out = tmp_path / "site-model"
    out.mkdir()
    (out / "stale.txt").write_text("from before")
    finetune.finetune_run(base=stand_ins["base"], out=out, examples=examples_made(), folds=2)
    assert not (out / "stale.txt").exists() and (out / "model.onnx").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-model")] == []


def test_too_few_examples_of_a_label_are_refused(stand_ins, tmp_path):
    examples = [TrainingExample("fine", "ok"), TrainingExample("vermin", "hate")] * 2
    with pytest.raises(finetune.FinetuneError, match="at least 5 examples"):
        finetune.finetune_run(base=stand_ins["base"], out=tmp_path / "m", examples=examples)
    assert not (tmp_path / "m").exists()


# --- refusals -------------------------------------------------------------------------------


def test_without_pytorch_the_command_says_which_group_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "torch", None)  # importing it raises ImportError
    # Nor is transformers imported meanwhile: it would remember, for the rest of the run,
    # that there is no PyTorch.
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(CommandError, match="torch") as raised:
        call_command("moderation_finetune", base=str(tmp_path), out=str(tmp_path / "m"))
    assert "make install-finetune" in str(raised.value)
    assert not (tmp_path / "m").exists()


def test_a_base_that_is_not_an_encoder_folder_is_refused(tmp_path):
    with pytest.raises(finetune.FinetuneError, match="is not a folder"):
        finetune.base_check(base=tmp_path / "absent")
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(finetune.FinetuneError, match=r"lacks tokenizer\.json, model\.safetensors"):
        finetune.base_check(base=tmp_path)


def test_the_command_refuses_nonsense_counts(tmp_path):
    with pytest.raises(CommandError, match="--epochs must be at least 1"):
        call_command("moderation_finetune", base=str(tmp_path), out=str(tmp_path), epochs=0)
    with pytest.raises(CommandError, match="--folds at least 2"):
        call_command("moderation_finetune", base=str(tmp_path), out=str(tmp_path), folds=1)


# --- the real thing, where PyTorch is installed ---------------------------------------------


def test_a_tiny_encoder_is_fine_tuned_exported_and_served(tmp_path, settings):
    pytest.importorskip("torch", reason="the finetune group (PyTorch) is not installed")
    pytest.importorskip("transformers", reason="the finetune group is not installed")
    from transformers import BertConfig, BertModel

    base = tmp_path / "tiny-encoder"
    base.mkdir()
    words = {"vermin": "hate", "casino": "spam", "idiot": "abuse"}
    vocabulary = tokenizer_write(base / "tokenizer.json", words)
    config = BertConfig(
        vocab_size=len(vocabulary),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(str(base))
    examples = []
    for i in range(8):
        examples += [
            TrainingExample(f"the council report is clear {i}", "ok"),
            TrainingExample("they are vermin", "hate"),
            TrainingExample("casino casino", "spam"),
            TrainingExample("you idiot", "abuse"),
        ]
    result = finetune.finetune_run(
        base=base, out=tmp_path / "site-model", examples=examples, epochs=2, folds=2
    )
    settings.MODERATION_ONNX_MODEL = str(result.folder / "model.onnx")
    assert onnx_model_check() == []
    classifier = onnx_model.classifier_current()
    assert classifier.labels == LABELS and len(classifier.held_out) == 11
    [probabilities] = onnx_model.probabilities(classifier=classifier, texts=["vermin vermin"])
    assert sum(probabilities.values()) == pytest.approx(1.0)


# --- the admin's "Learned model" page ---------------------------------------------------------


def test_the_admin_says_which_model_scores_and_what_it_was_trained_on(
    client, moderator, stand_ins, tmp_path, settings, monkeypatch
):
    from types import SimpleNamespace

    from django.urls import reverse

    from newsdesk.moderation.signals import learned

    in_use = SimpleNamespace(features=feature_names(onnx=False))
    monkeypatch.setattr(learned, "current_bundle", lambda: in_use)
    client.force_login(moderator)
    page = client.get(reverse("moderation_retrain")).content.decode()
    section = page.split("data-onnx-model", 1)[1].split("</p>", 1)[0]
    assert "None configured" in section and "moderation_finetune --out DIR" in section

    result = finetune.finetune_run(
        base=stand_ins["base"], out=tmp_path / "site-model", examples=examples_made(), folds=3
    )
    settings.MODERATION_ONNX_MODEL = str(result.folder / "model.onnx")
    page = client.get(reverse("moderation_retrain")).content.decode()
    section = page.split("data-onnx-model", 1)[1].split("</p>", 1)[0]
    assert str(result.folder / "model.onnx") in section
    assert "Fine-tuned from encoder on 66 examples" in section
    # The models in use were trained before the setting: they do not weigh it yet.
    assert "does not weigh it yet: retrain" in section
    in_use.features = feature_names(onnx=True)
    assert (
        "The combined evidence weighs it."
        in client.get(reverse("moderation_retrain")).content.decode()
    )
    assert "held-out scores are missing" not in page
    (result.folder / onnx_model.HELD_OUT_FILE).unlink()
    assert (
        "held-out scores are missing" in client.get(reverse("moderation_retrain")).content.decode()
    )


def test_the_card_names_an_encoder_copied_into_a_folder_called_model_by_its_parent(tmp_path):
    assert finetune._base_name(tmp_path / "all-mpnet-base-v2" / "model") == (
        "all-mpnet-base-v2/model"
    )
    assert finetune._base_name(tmp_path / "encoder") == "encoder"
