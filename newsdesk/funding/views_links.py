"""What every signed link of funding's e-mails answers when its token is forged or unknown:
one page, 404, saying which link it was (nothing else about the gift or the address)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def unknown_link(request: HttpRequest, *, what: str) -> HttpResponse:
    """The 404 page for a link (``what``: "This cancel link") that names nothing."""
    return render(
        request,
        "funding/message.html",
        {"title": "Unknown link", "text": f"{what} is not valid."},
        status=404,
    )
