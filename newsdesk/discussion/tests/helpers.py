"""Helpers for the discussion tests: readers and comments made through the real services."""

import io
from itertools import count

from django.contrib.auth import get_user_model
from PIL import Image

from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.discussion.services import CommentDraft, comment_create

_networks = count(1)


def _own_network_address() -> str:
    """An address in a /24 of its own: votes count once per network (``networks.py``), so
    two readers of a test are two homes unless the test puts them on one network itself."""
    n = next(_networks)
    return f"10.{n // 256 % 256}.{n % 256}.10"


def guest(name: str = "Guest") -> Reader:
    return Reader(guest_key=guest_key_new(), ip_address=_own_network_address())


def member(username: str = "reader", *, email: str | None = None) -> Reader:
    user = get_user_model().objects.create_user(
        username=username, email=email or f"{username}@example.org", password="a long pass 42"
    )
    return Reader(user=user, ip_address=_own_network_address())


def post(article, reader: Reader, body: str = "A comment.", *, parent=None, name="Guest", **kw):
    draft = CommentDraft(
        body=body,
        guest_name="" if reader.user else name,
        parent_id=parent.pk if parent is not None else None,
        **kw,
    )
    return comment_create(article=article, reader=reader, draft=draft)


def picture_bytes(fmt: str = "JPEG", size=(64, 48), *, exif: bool = False) -> bytes:
    picture = Image.new("RGB", size, (200, 80, 40))
    buffer = io.BytesIO()
    kwargs = {}
    if exif:
        info = Image.Exif()
        info[0x010F] = "SecretCam"  # Make
        info[0x0132] = "2024:01:01 10:00:00"
        kwargs["exif"] = info.tobytes()
    picture.save(buffer, fmt, **kwargs)
    return buffer.getvalue()
