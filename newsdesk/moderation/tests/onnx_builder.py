"""A tiny ONNX text classifier and its tokenizer, built in a test's folder.

The model averages word embeddings under the attention mask and maps the average to one
logit per label: each word of ``words`` pushes the label it names by ``push``, every other
known word pushes ``ok`` (when there is one) by ``neutral``, so a test knows what each text
scores. Unknown words and padding push nothing.
"""

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

NEUTRAL_WORDS = (
    *("the", "council", "report", "is", "clear", "and", "figures", "add", "up", "thanks"),
    *("for", "reading", "about", "budget", "vote", "comment", "number"),
)
OPSET = 17


def tokenizer_write(path: Path, words: dict[str, str]) -> dict[str, int]:
    """A WordLevel tokenizer (lower case, split on spaces and punctuation) saved to ``path``;
    id 0 is padding, 1 unknown. Returns the vocabulary."""
    vocabulary = {"[PAD]": 0, "[UNK]": 1}
    for word in [*NEUTRAL_WORDS, *words]:
        vocabulary.setdefault(word, len(vocabulary))
    tokenizer = Tokenizer(models.WordLevel(vocabulary, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.save(str(path))
    return vocabulary


def model_write(
    folder: Path,
    *,
    labels: tuple[str, ...] = ("ok", "hate", "spam"),
    words: dict[str, str] | None = None,
    push: float = 20.0,
    neutral: float = 4.0,
    bias: float = 0.0,
    metadata_labels: bool = True,
    token_type_ids: bool = False,
    input_names: tuple[str, ...] = ("input_ids", "attention_mask"),
    outputs: int | None = None,
) -> Path:
    """Write ``model.onnx`` and ``tokenizer.json`` into ``folder``; returns the model's path.

    ``words`` maps a word to the label it pushes (default: "vermin" → hate, "casino" → spam);
    ``outputs`` gives the model another output width than its labels (a mismatch to detect);
    ``input_names`` renames the graph's inputs (a model of another shape).
    """
    words = words if words is not None else {"vermin": "hate", "casino": "spam"}
    vocabulary = tokenizer_write(folder / "tokenizer.json", words)
    width = outputs or len(labels)
    embedding = np.zeros((len(vocabulary), width), dtype=np.float32)
    for word in NEUTRAL_WORDS:
        if "ok" in labels:
            embedding[vocabulary[word], labels.index("ok")] = neutral
    for word, label in words.items():
        embedding[vocabulary[word], labels.index(label)] = push
    ids_name, mask_name = input_names
    inputs = [
        helper.make_tensor_value_info(ids_name, TensorProto.INT64, ["batch", "sequence"]),
        helper.make_tensor_value_info(mask_name, TensorProto.INT64, ["batch", "sequence"]),
    ]
    if token_type_ids:
        inputs.append(
            helper.make_tensor_value_info(
                "token_type_ids", TensorProto.INT64, ["batch", "sequence"]
            )
        )
    initializers = [
        numpy_helper.from_array(embedding, "embedding"),
        numpy_helper.from_array(np.eye(width, dtype=np.float32), "weights"),
        numpy_helper.from_array(np.full(width, bias, dtype=np.float32), "bias"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis_1"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis_2"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one"),
    ]
    nodes = [
        helper.make_node("Gather", ["embedding", ids_name], ["vectors"]),
        helper.make_node("Cast", [mask_name], ["mask_float"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_float", "axis_2"], ["mask3"]),
        helper.make_node("Mul", ["vectors", "mask3"], ["masked"]),
        helper.make_node("ReduceSum", ["masked", "axis_1"], ["summed"], keepdims=0),
        helper.make_node("ReduceSum", ["mask3", "axis_1"], ["count"], keepdims=0),
        helper.make_node("Max", ["count", "one"], ["count_1"]),
        helper.make_node("Div", ["summed", "count_1"], ["mean"]),
        helper.make_node("MatMul", ["mean", "weights"], ["product"]),
        helper.make_node("Add", ["product", "bias"], ["logits"]),
    ]
    if token_type_ids:  # read, so that onnxruntime keeps the input
        nodes.append(helper.make_node("Shape", ["token_type_ids"], ["types_shape"]))
    outputs_info = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", width])]
    if token_type_ids:
        outputs_info.append(helper.make_tensor_value_info("types_shape", TensorProto.INT64, [2]))
    graph = helper.make_graph(nodes, "tiny_classifier", inputs, outputs_info, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    if metadata_labels:
        helper.set_model_props(model, {"labels": ",".join(labels)})
    onnx.checker.check_model(model)
    path = folder / "model.onnx"
    onnx.save(model, str(path))
    return path
