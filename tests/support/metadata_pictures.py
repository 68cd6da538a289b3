"""Pictures that carry every kind of metadata segment, each holding a marker string, and
readers of the segments a stored file has, for the tests of ``core/imageclean.py``."""

import io
import struct

from PIL import Image, ImageCms, PngImagePlugin

MARKER = "SECRET-7d-MARKER"
ICC_MARKER = "SECRET-ICC-7d"  # as long as "sRGB built-in", which it replaces
GPS_IFD = 0x8825


def marker_found(data: bytes) -> bool:
    """Whether any marker is in ``data``, as ASCII or as UTF-16 (ICC and XMP text)."""
    for text in (MARKER, ICC_MARKER):
        for encoding in ("ascii", "utf-16-be", "utf-16-le"):
            if text.encode(encoding) in data:
                return True
    return False


def icc_with_marker() -> bytes:
    """An sRGB profile whose description is the marker."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = "sRGB built-in".encode("utf-16-be")
    assert original in profile
    return profile.replace(original, ICC_MARKER.encode("utf-16-be"))


def exif_with_marker(*, orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[0x010E] = MARKER  # ImageDescription
    exif[0x010F] = MARKER  # Make
    exif[0x013B] = MARKER  # Artist
    exif[0x0112] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 12.5)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 40.0)
    gps[0x1B] = b"ASCII\x00\x00\x00" + MARKER.encode()  # GPSProcessingMethod
    return exif.tobytes()


def xmp_with_marker() -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="{MARKER}"/>'
        "</rdf:RDF></x:xmpmeta>"
    ).encode()


def _iptc_segment() -> bytes:
    """A Photoshop APP13 segment with one IPTC record (2:120, the caption)."""
    caption = MARKER.encode()
    iptc = b"\x1c\x02\x78" + struct.pack(">H", len(caption)) + caption
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    if len(iptc) % 2:
        resource += b"\x00"
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def base_picture(size=(120, 80)) -> Image.Image:
    """Left half red, right half blue: orientation can be seen in the pixels."""
    picture = Image.new("RGB", size, (220, 30, 30))
    picture.paste((30, 30, 220), (size[0] // 2, 0, size[0], size[1]))
    return picture


def jpeg_with_everything(*, orientation: int = 1, size=(120, 80)) -> bytes:
    buffer = io.BytesIO()
    base_picture(size).save(
        buffer,
        "JPEG",
        quality=95,
        comment=MARKER,
        exif=exif_with_marker(orientation=orientation),
        xmp=xmp_with_marker(),
        icc_profile=icc_with_marker(),
    )
    data = buffer.getvalue()
    return data[:2] + _iptc_segment() + data[2:]  # right after SOI


def png_with_everything(size=(120, 80)) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", MARKER)  # tEXt
    info.add_text("Description", MARKER, zip=True)  # zTXt
    info.add_itxt("XML:com.adobe.xmp", xmp_with_marker().decode(), lang="en")  # iTXt
    info.add_itxt("Title", MARKER, zip=False)
    buffer = io.BytesIO()
    base_picture(size).save(
        buffer, "PNG", pnginfo=info, exif=exif_with_marker(), icc_profile=icc_with_marker()
    )
    return buffer.getvalue()


def _with_exif_xmp_icc(image_format: str, size) -> bytes:
    buffer = io.BytesIO()
    base_picture(size).save(
        buffer,
        image_format,
        quality=95,
        exif=exif_with_marker(),
        xmp=xmp_with_marker(),
        icc_profile=icc_with_marker(),
    )
    return buffer.getvalue()


def webp_with_everything(size=(120, 80)) -> bytes:
    return _with_exif_xmp_icc("WEBP", size)


def avif_with_everything(size=(120, 80)) -> bytes:
    return _with_exif_xmp_icc("AVIF", size)


def gif_with_comment(size=(120, 80)) -> bytes:
    buffer = io.BytesIO()
    base_picture(size).save(buffer, "GIF", comment=MARKER)
    return buffer.getvalue()


SAMPLES = {
    "jpeg": jpeg_with_everything,
    "png": png_with_everything,
    "webp": webp_with_everything,
    "gif": gif_with_comment,
}


# --- what a stored file carries ----------------------------------------------------------------


def jpeg_segments(data: bytes) -> list[str]:
    """The marker names before the image data: ``APP0``, ``APP1``, ``COM``, ``DQT`` ..."""
    assert data[:2] == b"\xff\xd8"
    names, position = [], 2
    while position < len(data):
        marker = data[position + 1]
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        if 0xE0 <= marker <= 0xEF:
            names.append(f"APP{marker - 0xE0}")
        elif marker == 0xFE:
            names.append("COM")
        else:
            names.append(f"{marker:02X}")
        if marker == 0xDA:  # start of scan: the image data follows
            break
        position += 2 + length
    return names


def png_chunks(data: bytes) -> list[str]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    names, position = [], 8
    while position < len(data):
        length = struct.unpack(">I", data[position : position + 4])[0]
        names.append(data[position + 4 : position + 8].decode("latin-1"))
        position += 12 + length
    return names


def webp_chunks(data: bytes) -> list[str]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    names, position = [], 12
    while position + 8 <= len(data):
        name = data[position : position + 4].decode("latin-1")
        length = struct.unpack("<I", data[position + 4 : position + 8])[0]
        names.append(name)
        position += 8 + length + (length % 2)
    return names


def metadata_segments(data: bytes) -> list[str]:
    """The segments of ``data`` that can carry metadata (empty for a clean file)."""
    if data[:2] == b"\xff\xd8":
        return [name for name in jpeg_segments(data) if name.startswith("APP") or name == "COM"]
        # (APP0 is JFIF's header: a version and a pixel density, no text.)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        plain = {"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}
        return [name for name in png_chunks(data) if name not in plain]
    if data[:4] == b"RIFF":
        return [name for name in webp_chunks(data) if name not in {"VP8 ", "VP8L", "VP8X", "ALPH"}]
    raise AssertionError("not a JPEG, PNG or WebP file")


def carries_metadata(data: bytes) -> list[str]:
    """What in ``data`` is metadata: segment names (JFIF's APP0 header excepted) and
    ``"marker"`` when a marker string is anywhere in the bytes."""
    found = [name for name in metadata_segments(data) if name != "APP0"]
    if marker_found(data):
        found.append("marker")
    return found
