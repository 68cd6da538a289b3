"""A newsroom's own text classifier in ONNX, run on the CPU by onnxruntime.

``MODERATION_ONNX_MODEL`` names a local ``.onnx`` file (empty: no model, the signal is off).
Nothing is ever fetched: the model, its ``tokenizer.json`` (Hugging Face ``tokenizers``) and
its labels are read from disk and the settings only.

The model's contract: graph inputs ``input_ids`` and ``attention_mask`` (int64,
``[batch, sequence]``) and optionally ``token_type_ids`` (given zeros); its first output is
the logits ``[batch, labels]``, in the order of ``MODERATION_ONNX_LABELS`` or, when that is
empty, of the model's metadata property ``labels`` (comma-separated or a JSON list). A model
whose labels include ``ok`` is single-label (softmax over the labels); otherwise every label
is independent (a sigmoid each, as multi-label toxicity models are trained).

``classifier_current`` loads the configured model once per process (under a lock; an
onnxruntime session may then be run by several threads at once). Every problem a newsroom
can make (a missing file, a file that is not a model, inputs or outputs of another shape,
labels that do not match, a missing or broken tokenizer, a broken held-out file) is an
``OnnxModelError`` whose ``check_id`` is the system check's id (``checks.onnx_model_check``),
so the site refuses to start saying what is wrong instead of failing readers' posts.

A model fine-tuned on this site's own examples (``manage.py moderation_finetune``) comes with
``held_out_scores.json`` beside it: for each text it was trained on, the probabilities given
by a model fine-tuned without that text's fold. Those texts get those probabilities, so the
stacker learns how far to trust the model on comments it has not seen and the evaluation's
held-out groups stay held out; any other text is run through the model.
"""

import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from newsdesk.moderation import conf

# Comments per session.run: bounds the padded batch's memory when a long list (an evaluation,
# an import) is scored, while a reader's post is always one run.
CHUNK_SIZE = 64
# A single-label model's label for acceptable comments: the score is 1 - P(ok).
OK_LABEL = "ok"
HELD_OUT_FILE = "held_out_scores.json"
# What moderation_finetune says of the model it wrote (base, examples, date), for the admin.
CARD_FILE = "model_card.json"
REQUIRED_INPUTS = ("input_ids", "attention_mask")
OPTIONAL_INPUTS = ("token_type_ids",)


class OnnxModelError(Exception):
    """A configured model that cannot be used; ``check_id`` and ``hint`` feed the system check."""

    def __init__(self, message: str, *, check_id: str, hint: str = ""):
        super().__init__(message)
        self.check_id = check_id
        self.hint = hint


@dataclass(frozen=True)
class OnnxClassifier:
    """A loaded model, its tokenizer (truncating at ``max_tokens``) and its labels."""

    session: object  # onnxruntime.InferenceSession
    tokenizer: object  # tokenizers.Tokenizer
    labels: tuple[str, ...]
    input_names: tuple[str, ...]
    pad_id: int
    # text_key(text) -> the probabilities of a model that did not see the text (in labels'
    # order); empty for a model that comes without them.
    held_out: Mapping[str, tuple[float, ...]] = field(default_factory=dict)

    @property
    def single_label(self) -> bool:
        return OK_LABEL in self.labels


_lock = threading.Lock()
_loaded: dict[tuple, OnnxClassifier] = {}


def configured_paths() -> tuple[Path, Path] | None:
    """The model's and the tokenizer's paths from the settings, or None when no model is set."""
    model = conf.ONNX_MODEL
    if not model:
        return None
    model_path = Path(model).expanduser()
    tokenizer = conf.ONNX_TOKENIZER
    if not tokenizer:
        return model_path, model_path.parent / "tokenizer.json"
    return model_path, Path(tokenizer).expanduser()


def classifier_current() -> OnnxClassifier | None:
    """The configured classifier, loaded once per process; None when no model is configured.

    Raises ``OnnxModelError`` when the configured model cannot be used (a failed load is not
    kept: the next call tries again, so a fixed file is picked up).
    """
    paths = configured_paths()
    if paths is None:
        return None
    key = (*paths, tuple(conf.ONNX_LABELS), conf.ONNX_MAX_TOKENS)
    with _lock:
        if key not in _loaded:
            classifier = classifier_load(
                model_path=paths[0],
                tokenizer_path=paths[1],
                labels=list(conf.ONNX_LABELS),
                max_tokens=conf.ONNX_MAX_TOKENS,
            )
            _loaded.clear()  # keep only the model in use
            _loaded[key] = classifier
        return _loaded[key]


def classifier_load(
    *, model_path: Path, tokenizer_path: Path, labels: list[str], max_tokens: int
) -> OnnxClassifier:
    """Load and validate a model and its tokenizer; ``labels`` empty: the model's metadata.

    Validation runs the model once on a short text, so a model that loads but cannot score
    (an output of another width than its labels) fails here, not on a reader's comment.
    Raises ``OnnxModelError`` naming the file and the problem.
    """
    if max_tokens < 1:
        raise OnnxModelError(
            f"MODERATION_ONNX_MAX_TOKENS must be at least 1, not {max_tokens}.",
            check_id="moderation.E002",
        )
    session = _session_load(model_path)
    input_names = _inputs_check(session, model_path)
    labels_read = _labels_read(session, model_path, labels)
    tokenizer, pad_id = _tokenizer_load(tokenizer_path, max_tokens)
    classifier = OnnxClassifier(
        session=session,
        tokenizer=tokenizer,
        labels=labels_read,
        input_names=input_names,
        pad_id=pad_id,
        held_out=held_out_read(path=model_path.parent / HELD_OUT_FILE, labels=labels_read),
    )
    try:
        logits = _logits(classifier, ["A short comment to check the model with."])
    except Exception as error:
        raise OnnxModelError(
            f"The ONNX model {model_path} failed on a test text: {error_summary(error)}",
            check_id="moderation.E004",
            hint=_CONTRACT,
        ) from error
    if logits.ndim != 2 or logits.shape[1] != len(labels_read):
        raise OnnxModelError(
            f"The ONNX model {model_path} gives {logits.shape[-1] if logits.ndim else 0} "
            f"scores per comment (output shape {list(logits.shape)}) but has "
            f"{len(labels_read)} labels ({', '.join(labels_read)}).",
            check_id="moderation.E005",
            hint="MODERATION_ONNX_LABELS names the model's output classes, in order.",
        )
    return classifier


def probabilities(*, classifier: OnnxClassifier, texts: list[str]) -> list[dict[str, float]]:
    """Each text's probability per label: one ``session.run`` per ``CHUNK_SIZE`` texts.

    A text with no token (an empty comment) is not run: it gets P(ok) = 1 (single-label) or
    0 for every label; a text of the model's held-out file gets its held-out probabilities.
    Exceptions of onnxruntime propagate (the signal decides what to do).
    """
    results: list[dict[str, float]] = [_nothing_found(classifier)] * len(texts)
    unseen = []
    for index, text in enumerate(texts):
        stored = classifier.held_out.get(text_key(text)) if classifier.held_out else None
        if stored is None:
            unseen.append(index)
        else:
            results[index] = dict(zip(classifier.labels, stored, strict=True))
    encodings = dict(
        zip(unseen, classifier.tokenizer.encode_batch([texts[i] for i in unseen]), strict=True)
    )
    # Each chunk is padded to its longest text: chunks of alike lengths pad least (one long
    # comment among short ones would otherwise make the whole chunk long).
    worded = sorted(
        (index for index, encoding in encodings.items() if encoding.ids),
        key=lambda index: len(encodings[index].ids),
    )
    for start in range(0, len(worded), CHUNK_SIZE):
        chunk = worded[start : start + CHUNK_SIZE]
        logits = _run(classifier, [encodings[index] for index in chunk])
        rows = _softmax(logits) if classifier.single_label else 1.0 / (1.0 + np.exp(-logits))
        rows = np.nan_to_num(rows, nan=0.0)
        for index, row in zip(chunk, rows, strict=True):
            results[index] = {
                label: float(p) for label, p in zip(classifier.labels, row, strict=True)
            }
    return results


def model_card_read(*, model_path: Path) -> dict | None:
    """The card beside a model written by ``moderation_finetune`` (None: none, or unreadable;
    the card only informs, the model works without it)."""
    try:
        card = json.loads((model_path.parent / CARD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return card if isinstance(card, dict) else None


def text_key(text: str) -> str:
    """The key of a text in a held-out file: its SHA-256, so the file holds no comment."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- loading ---------------------------------------------------------------------------------


def held_out_read(*, path: Path, labels: tuple[str, ...]) -> dict[str, tuple[float, ...]]:
    """The held-out probabilities stored beside a model ({} when there is no such file).

    The file is ``{"labels": [...], "scores": {text_key: [p, ...]}}``; labels other than the
    model's, or a row that is not one probability per label, is an ``OnnxModelError``.
    """
    if not path.is_file():
        return {}
    problem = ""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(content, dict) or not isinstance(content.get("scores"), dict):
            problem = 'it is not an object with "labels" and "scores"'
        elif tuple(content.get("labels") or ()) != labels:
            problem = f"its labels {content.get('labels')} are not the model's {list(labels)}"
        else:
            scores = {
                str(key): tuple(float(p) for p in row) for key, row in content["scores"].items()
            }
            if any(len(row) != len(labels) for row in scores.values()):
                problem = "a row does not give one probability per label"
    except (OSError, ValueError, TypeError) as error:
        problem = error_summary(error)
    if problem:
        raise OnnxModelError(
            f"The held-out scores {path} cannot be used: {problem}.",
            check_id="moderation.E008",
            hint="Write the model again with manage.py moderation_finetune, or remove the file "
            "(a model trained elsewhere needs none).",
        )
    return scores


_CONTRACT = (
    "The model must take input_ids and attention_mask (int64, [batch, sequence]; "
    "token_type_ids optional) and give logits [batch, labels] as its first output."
)


def error_summary(error: Exception) -> str:
    """An error's first line (onnxruntime's run to many), for a reason or a check."""
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:300]


def _session_load(model_path: Path):
    import onnxruntime

    if not model_path.is_file():
        raise OnnxModelError(
            f"MODERATION_ONNX_MODEL names {model_path}, which is not a file.",
            check_id="moderation.E002",
            hint="Give the path of a local .onnx file, or leave MODERATION_ONNX_MODEL empty.",
        )
    options = onnxruntime.SessionOptions()
    # One thread per session: a web process scores one comment at a time and a site runs
    # several processes; onnxruntime's default pool (every core, spinning) would make them
    # fight over the CPU.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    try:
        return onnxruntime.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as error:
        raise OnnxModelError(
            f"{model_path} is not an ONNX model onnxruntime can load: {error_summary(error)}",
            check_id="moderation.E003",
            hint="MODERATION_ONNX_MODEL must name an .onnx file exported for onnxruntime.",
        ) from error


def _inputs_check(session, model_path: Path) -> tuple[str, ...]:
    inputs = {item.name: item for item in session.get_inputs()}
    missing = [name for name in REQUIRED_INPUTS if name not in inputs]
    unknown = [name for name in inputs if name not in REQUIRED_INPUTS + OPTIONAL_INPUTS]
    wrong = [
        f"{name} is {item.type} of rank {len(item.shape)}"
        for name, item in inputs.items()
        if name not in unknown and (item.type != "tensor(int64)" or len(item.shape) != 2)
    ]
    outputs = session.get_outputs()
    problems = [
        *(f"no input {name}" for name in missing),
        *(f"an input this site cannot give: {name}" for name in unknown),
        *wrong,
        *([] if outputs else ["no output"]),
    ]
    if outputs and len(outputs[0].shape) != 2:
        problems.append(f"its first output {outputs[0].name} has rank {len(outputs[0].shape)}")
    if problems:
        raise OnnxModelError(
            f"The ONNX model {model_path} does not fit: {'; '.join(problems)}.",
            check_id="moderation.E004",
            hint=_CONTRACT,
        )
    return tuple(name for name in inputs)


def _labels_read(session, model_path: Path, labels: list[str]) -> tuple[str, ...]:
    if not labels:
        text = session.get_modelmeta().custom_metadata_map.get("labels", "").strip()
        if not text:
            raise OnnxModelError(
                f"The ONNX model {model_path} has no metadata property 'labels' and "
                "MODERATION_ONNX_LABELS is empty: the site cannot name its classes.",
                check_id="moderation.E005",
                hint="Set MODERATION_ONNX_LABELS to the output's class names in order, "
                "e.g. ok,hate,abuse,spam.",
            )
        try:
            parsed = json.loads(text) if text.startswith("[") else text.split(",")
        except ValueError:
            parsed = [text]
        labels = [str(label).strip() for label in parsed]
    if any(not label for label in labels) or len(set(labels)) != len(labels):
        raise OnnxModelError(
            f"The labels of the ONNX model {model_path} must be distinct names: {labels}.",
            check_id="moderation.E005",
            hint="MODERATION_ONNX_LABELS is comma-separated, e.g. ok,hate,abuse,spam.",
        )
    return tuple(labels)


def _tokenizer_load(tokenizer_path: Path, max_tokens: int):
    from tokenizers import Tokenizer

    if not tokenizer_path.is_file():
        raise OnnxModelError(
            f"The ONNX model's tokenizer {tokenizer_path} is not a file.",
            check_id="moderation.E006",
            hint="Put the model's tokenizer.json beside it or name it in "
            "MODERATION_ONNX_TOKENIZER.",
        )
    try:
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
    except Exception as error:
        raise OnnxModelError(
            f"{tokenizer_path} is not a tokenizer the tokenizers library can read: "
            f"{error_summary(error)}",
            check_id="moderation.E006",
            hint="MODERATION_ONNX_TOKENIZER must name a Hugging Face tokenizer.json.",
        ) from error
    pad_id = int((tokenizer.padding or {}).get("pad_id", 0))
    # Padding is done per chunk here (to the chunk's longest text), truncation by the tokenizer.
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer, pad_id


# --- running ---------------------------------------------------------------------------------


def _logits(classifier: OnnxClassifier, texts: list[str]) -> np.ndarray:
    return _run(classifier, classifier.tokenizer.encode_batch(texts))


def _run(classifier: OnnxClassifier, encodings) -> np.ndarray:
    length = max(1, max(len(encoding.ids) for encoding in encodings))
    ids = np.full((len(encodings), length), classifier.pad_id, dtype=np.int64)
    mask = np.zeros((len(encodings), length), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = encoding.ids
        mask[row, : len(encoding.ids)] = 1
    feeds = {"input_ids": ids, "attention_mask": mask}
    if "token_type_ids" in classifier.input_names:
        feeds["token_type_ids"] = np.zeros_like(ids)
    output_name = classifier.session.get_outputs()[0].name
    (logits,) = classifier.session.run([output_name], feeds)
    return np.asarray(logits, dtype=np.float64)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _nothing_found(classifier: OnnxClassifier) -> dict[str, float]:
    return {
        label: 1.0 if classifier.single_label and label == OK_LABEL else 0.0
        for label in classifier.labels
    }
