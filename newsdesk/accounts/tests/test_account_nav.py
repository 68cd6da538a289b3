"""The account pages' menu names the page the reader is on (``aria-current``), and only it."""

import re

import pytest
from django.test import Client

from newsdesk.accounts.tests import helpers as h


@pytest.mark.parametrize(
    "path, current",
    [
        ("/accounts/privacy/", "Privacy and your data"),
        ("/accounts/comments/", "Your comments"),
        ("/accounts/discussion/", "Discussion settings"),
    ],
)
def test_the_menu_marks_the_page_the_reader_is_on(db, path, current):
    client = Client()
    client.force_login(h.make_reader("nav_reader", email="nav@example.org"))
    html = client.get(path).content.decode()
    menu = re.search(r'<nav class="account-nav".*?</nav>', html, re.S).group(0)
    marked = re.findall(r'aria-current="page">([^<]+)</a>', menu)
    assert marked == [current]
