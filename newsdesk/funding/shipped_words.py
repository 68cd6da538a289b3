"""The words editors may rewrite, shown in the reader's language while they are still ours.

A text setting (the thanks after a gift, the support ask, the donor e-mails) is stored with
the project's English default. ``shipped_or_own`` tells the two cases apart at display time,
with no schema change: the words as shipped are translated, an editor's own are not.
"""

from django.utils.translation import gettext


def _same(text: str) -> str:
    # A form's textarea sends its lines ended with CR LF: a message saved unchanged is still
    # the shipped one.
    return text.replace("\r\n", "\n").strip()


def shipped_or_own(text: str, *, shipped: str) -> str:
    """The words to show for ``text``, a stored setting whose project default is ``shipped``.

    When ``text`` is still the default (equal to ``shipped`` once surrounding blanks are
    stripped from both, and line ends read alike), return ``gettext(shipped)``: the project's
    words in the active language (the English text itself when no translation exists).
    Otherwise ``text`` is an editor's own words: returned as written, never translated.
    ``shipped`` must be the exact msgid marked for extraction (``gettext_noop``) where the
    default is defined; an empty ``shipped`` (no default) returns ``text`` as it is
    (``gettext("")`` would be the catalogue's header).
    """
    if shipped.strip() and _same(text or "") == _same(shipped):
        return gettext(shipped)
    return text
