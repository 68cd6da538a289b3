"""What makes a request personal to the page cache: the inputs it carries, and the ones its
rendering read.

Two checks, both failing closed:

- before the cache is looked up, ``personal_inputs_sent``: a request carrying one of the
  cookies or headers ``registry`` gathers (the session, Django's messages, ``Authorization``,
  and those the apps registered, such as a guest's cookie and token header) is never
  answered with the shared copy nor stored (a signed-in reader with the script's cookie
  excepted: they get the copy with their own part filled in, ``private``);
- after a page rendered, ``personal_inputs_read``: code that reads a personal input while a
  page may be rendering (an app's lookup of a guest's key or the signed-in user) calls
  ``personal_input_read``; that rendering is never stored and never
  goes out ``public``, even when the input is one the first check does not know of.
"""

from django.http import HttpRequest

from newsdesk.pagecache import registry

_READ = "pagecache_personal_inputs"


def personal_inputs_sent(*, request: HttpRequest) -> set[str]:
    """The personal cookies and headers ``request`` carries.

    A cookie counts when it has a value (an emptied one is a deletion the client has not
    applied yet); a header counts when present at all.
    """
    sent = {name for name in registry.personal_cookies() if request.COOKIES.get(name)}
    sent.update(name for name in registry.personal_headers() if name in request.headers)
    return sent


def personal_input_read(request: HttpRequest, *, name: str) -> None:
    """Declare that what is being rendered for ``request`` depends on the personal input
    ``name`` (a cookie or header that names a reader). The page cache then neither stores
    the answer nor sends it ``public``. Costs nothing outside a page's rendering: call it
    wherever such an input is read and found."""
    read = getattr(request, _READ, None)
    if read is None:
        read = set()
        setattr(request, _READ, read)
    read.add(name)


def personal_inputs_read(*, request: HttpRequest) -> frozenset[str]:
    """The personal inputs declared read while answering ``request`` (empty: none)."""
    return frozenset(getattr(request, _READ, ()))
