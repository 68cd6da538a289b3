"""The translation tooling: the scanners ``make lint`` runs, the catalogue checks and
compilation, and the dates each language writes."""

import ast
import datetime
import gettext
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from django.utils import formats, translation

from newsdesk.core.i18n import catalogues, scan_python, scan_templates


def _template(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "page.html"
    path.write_text(text, encoding="utf-8")
    return [problem.text for problem in scan_templates.template_problems(path)]


def test_template_text_and_read_attributes_must_be_translated(tmp_path):
    found = _template(
        tmp_path,
        '{% load i18n %}<h1>{% translate "Your giving" %}</h1>\n'
        "<p>Thank you, {{ name }}.</p>\n"
        '<button type="submit" aria-label="Close the panel">{% translate "Close" %}</button>\n'
        '<input type="submit" value="Send">\n'
        '<img alt="{% translate "Logo" %}" src="x.png">\n',
    )
    assert found == ["Thank you, ….", "Close the panel", "Send"]


def test_template_translated_blocks_scripts_comments_and_names_pass(tmp_path):
    assert not _template(
        tmp_path,
        "{% load i18n %}{% blocktranslate trimmed with n=count %}\n  You gave {{ n }} times."
        "\n{% endblocktranslate %}{# a note for developers #}\n"
        "{% comment %}Old words here{% endcomment %}<script>const word = 'Hello';</script>"
        '<style>.a::after { content: "More"; }</style><a href="/feeds/rss/">RSS</a> · CSV · 12',
    )
    assert not _template(tmp_path, '{# i18n: none #}<?xml version="1.0"?><name>Lantern</name>')


def _module(tmp_path: Path, source: str) -> list[str]:
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    tree = ast.parse(source)
    errors = scan_python.error_classes({path: tree})
    return [problem.text for problem in scan_python.module_problems(path, tree, errors)]


def test_python_interface_strings_must_be_marked(tmp_path):
    found = _module(
        tmp_path,
        "from django import forms\n"
        "from django.contrib import messages\n"
        "from django.db import models\n"
        "from django.utils.translation import gettext as _, gettext_lazy\n"
        "from newsdesk.core.errors import ServiceError\n"
        "class GiftError(ServiceError):\n"
        "    default_message = 'The gift cannot be changed.'\n"
        "class Status(models.TextChoices):\n"
        "    OPEN = 'open', 'Open for comments'\n"
        "    SHUT = 'shut', gettext_lazy('Closed')\n"
        "class F(forms.Form):\n"
        "    name = forms.CharField(label='Your name', help_text=gettext_lazy('Shown'))\n"
        "    kind = forms.ChoiceField(choices=[('a', 'Monthly'), ('b', _('Once'))])\n"
        "def view(request, amount):\n"
        "    messages.success(request, f'Thank you for {amount}.')\n"
        "    messages.info(request, _('Saved.'))\n"
        "    logger.info('Gift saved for %s', amount)\n"
        "    raise GiftError('That gift is not yours.')\n",
    )
    assert found == [
        "The gift cannot be changed.",
        "Open for comments",
        "Your name",
        "Monthly",
        "Thank you for .",
        "That gift is not yours.",
    ]


def test_python_pragma_keeps_a_technical_term(tmp_path):
    assert not _module(
        tmp_path,
        "def f(forms):\n    return forms.CharField(label='DKIM')  # i18n: same in every language\n",
    )


def _po(path: Path, entries: list[tuple], *, locale: str = "es") -> Path:
    catalog = Catalog(locale=locale)
    for msgid, msgstr, flags in entries:
        catalog.add(msgid, msgstr, flags=flags)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return path


def test_a_catalogue_with_untranslated_fuzzy_or_broken_placeholders_is_incomplete(tmp_path):
    path = _po(
        tmp_path / "es" / "LC_MESSAGES" / "django.po",
        [
            ("Your gift", "Su donación", ()),
            ("Sign in", "", ()),
            ("Sign out", "Salir", ("fuzzy",)),
            ("Gift of %(amount)s", "Donación de %(cantidad)s", ("python-format",)),
        ],
    )
    texts = [problem.text for problem in catalogues.problems(path)]
    assert texts[0] == "untranslated: 'Sign in'"
    assert texts[1] == "fuzzy: 'Sign out'"
    assert "Gift of %(amount)s" in texts[2] and len(texts) == 3


def test_compiled_catalogues_are_read_by_gettext(tmp_path, settings, monkeypatch):
    app = tmp_path / "newsdesk" / "shop"
    _po(app / "locale" / "fr" / "LC_MESSAGES" / "django.po", [("Your gift", "Votre don", ())])
    monkeypatch.setattr(catalogues, "project_dir", lambda: tmp_path / "newsdesk")
    (written,) = catalogues.compile_all()
    with written.open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("Your gift") == "Votre don"
    assert catalogues.compile_all() == []  # up to date: nothing written again


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("en", "5 December 2026, 14:03", "5 Dec 2026"),
        ("es", "5 de diciembre de 2026, 14:03", "5/12/2026"),
        ("fr", "5 décembre 2026, 14:03", "05/12/2026"),
    ],
)
def test_each_language_writes_dates_its_own_way(language, long, short):
    moment = datetime.datetime(2026, 12, 5, 14, 3)
    with translation.override(language):
        assert formats.date_format(moment, "DATETIME_FORMAT") == long
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == short
