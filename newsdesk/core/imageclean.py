"""Pictures from outside (readers' uploads, partners' photos) re-encoded with pixels only.

A camera or an editing program leaves a lot in a file besides the picture: EXIF (with the
GPS position and the camera's serial number), XMP, IPTC, JPEG comments, PNG text chunks, an
ICC profile whose description is free text. None of it survives here. The picture is turned
upright first (the EXIF orientation applied), then converted to sRGB if it carried a colour
profile (browsers take an untagged picture as sRGB, so it looks the same without the
profile), then its pixels are copied into a picture that has no metadata at all, and that is
what is encoded. Pillow carries some metadata over by default when saving (a JPEG's comment,
a PNG's ICC profile), so nothing is left for it to find.
"""

import io

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# What Pillow raises for a file that is not a readable picture (or is too large to open).
UNREADABLE_PICTURE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    ValueError,
    SyntaxError,
    Image.DecompressionBombError,
)

# The modes every output format here can store; anything else is converted to one of them.
_PLAIN_MODES = {"RGB", "RGBA", "L", "LA"}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(picture: Image.Image, icc: bytes) -> Image.Image:
    """The picture's colours in sRGB (as RGB or RGBA), or the picture as it is when its
    profile cannot be used (then it is merely dropped)."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = None
        if picture.mode in {"RGB", "RGBA"}:
            converted = ImageCms.profileToProfile(picture, source, _SRGB, outputMode=picture.mode)
        elif picture.mode in {"CMYK", "L"}:
            converted = ImageCms.profileToProfile(picture, source, _SRGB, outputMode="RGB")
        if converted is not None:  # None only for a conversion in place, never asked here
            return converted
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        pass
    return picture


def _plain_mode(picture: Image.Image) -> Image.Image:
    """RGB, RGBA, L or LA, keeping transparency that lives in ``info`` (palette pictures)."""
    transparent = "transparency" in picture.info
    if picture.mode in _PLAIN_MODES and not transparent:
        return picture
    if picture.mode in {"L", "1", "I", "I;16", "F"} and not transparent:
        return picture.convert("L")
    if picture.mode in {"L", "LA"}:
        return picture.convert("LA")
    return picture.convert("RGBA" if transparent or "A" in picture.mode else "RGB")


def image_clean(picture: Image.Image) -> Image.Image:
    """A new picture with ``picture``'s pixels (its first frame), upright, in sRGB and in a
    plain mode (RGB, RGBA, L, LA), carrying no metadata whatever. ``picture`` must be loaded;
    it is left as it is."""
    upright = ImageOps.exif_transpose(picture)
    icc = picture.info.get("icc_profile") or upright.info.get("icc_profile")
    if icc:
        upright = _to_srgb(upright, icc)
    plain = _plain_mode(upright)
    clean = Image.new(plain.mode, plain.size)
    clean.paste(plain, (0, 0))
    clean.info = {}
    return clean


def image_encode(picture: Image.Image, image_format: str, *, quality: int = 85) -> bytes:
    """``picture`` (from ``image_clean``) as JPEG, PNG, WEBP or AVIF bytes, no metadata
    written (Pillow writes WebP's and AVIF's only from what it is given or finds in
    ``info``, which ``image_clean`` leaves empty)."""
    buffer = io.BytesIO()
    if image_format == "JPEG":
        picture = picture.convert("RGB") if picture.mode not in {"RGB", "L"} else picture
        picture.save(buffer, "JPEG", quality=quality, optimize=True)
    elif image_format == "WEBP":
        picture.save(buffer, "WEBP", quality=quality)
    elif image_format == "AVIF":
        picture = picture.convert("RGBA") if picture.mode == "LA" else picture
        picture.save(buffer, "AVIF", quality=quality)
    elif image_format == "PNG":
        picture.save(buffer, "PNG", optimize=True)
    else:
        raise ValueError(f"pictures are not encoded as {image_format}")
    return buffer.getvalue()
