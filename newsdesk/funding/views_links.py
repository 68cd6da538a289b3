"""What every signed link of funding's e-mails answers when its token is forged or unknown:
one page, 404, saying which link it was (nothing else about the gift or the address)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def unknown_link(request: HttpRequest, *, text: str) -> HttpResponse:
    """The 404 page for a link that names nothing; ``text`` (translated) says which link it
    was ("This cancel link is not valid.")."""
    return render(
        request,
        "funding/message.html",
        {"title": _("Unknown link"), "text": text},
        status=404,
    )
