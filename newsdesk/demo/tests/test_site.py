"""The demo site's identity: name, address, tagline and publisher logo."""

from wagtail.models import Site

from newsdesk.core.siteurl import site_url
from newsdesk.demo.images import LOGO_TITLE
from newsdesk.demo.site import SITE_NAME
from newsdesk.web.models import SiteIdentity


def test_the_site_is_the_lantern_at_site_url(demo_db, client):
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == SITE_NAME
    assert site_url().split("//")[1].startswith(site.hostname)
    identity = SiteIdentity.load()
    assert identity.publisher_name == SITE_NAME
    assert identity.publisher_logo.title == LOGO_TITLE
    assert SITE_NAME in client.get("/").content.decode()


def test_an_editors_choices_survive_a_reload(demo_db):
    from io import StringIO

    from django.core.management import call_command

    identity = SiteIdentity.load()
    identity.tagline = "Chosen by an editor"
    identity.save()

    call_command("load_demo", stdout=StringIO())

    assert SiteIdentity.load().tagline == "Chosen by an editor"
