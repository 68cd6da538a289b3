"""Editors' embed URLs cannot make the server fetch inside our network: the configured
oEmbed finder (``WAGTAILEMBEDS_FINDERS``) is tried against real listeners on 127.0.0.1
with a provider whose endpoint is internal, or redirects inside."""

import json
import socket

import pytest
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders import _get_config_from_settings, import_finder_class

from newsdesk.syndication.tests.feedserver import FeedServer, redirect_to

VIDEO = "https://video.partner.example/v/42"


def configured_finder(endpoint: str):
    """The site's own oEmbed finder, given one provider whose endpoint is ``endpoint``."""
    config = dict(_get_config_from_settings()[0])
    finder_class = import_finder_class(config.pop("class"))
    provider = {"endpoint": endpoint, "urls": [r"^https://video\.partner\.example/.+$"]}
    return finder_class(providers=[provider], **config)


@pytest.fixture
def listener():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.setblocking(False)
        yield sock


def connections(listener) -> int:
    count = 0
    while True:
        try:
            listener.accept()[0].close()
        except BlockingIOError:
            return count
        count += 1


@pytest.fixture
def provider_server():
    server = FeedServer().start()
    yield server
    server.stop()


def test_a_provider_endpoint_on_an_internal_address_is_not_asked(settings, listener):
    settings.FETCH_ALLOW_INTERNAL = ""
    port = listener.getsockname()[1]
    finder = configured_finder(f"http://127.0.0.1:{port}/oembed")

    with pytest.raises(EmbedNotFoundException):
        finder.find_embed(VIDEO)

    assert connections(listener) == 0


def test_a_provider_that_redirects_inside_is_not_followed(settings, listener, provider_server):
    # The provider's server stands in for the internet (allowed by address and port); the
    # other port on 127.0.0.1 is not allowed.
    settings.FETCH_ALLOW_INTERNAL = f"127.0.0.1:{provider_server.server_address[1]}"
    answer = {"type": "video", "html": "<iframe src='https://video.partner.example/e/42'>"}
    provider_server.add("/oembed", body=json.dumps(answer).encode(), content_type="text/json")
    inside = f"http://127.0.0.1:{listener.getsockname()[1]}/latest/meta-data/"
    provider_server.add("/moved", handler=redirect_to(inside))

    found = configured_finder(provider_server.url("/oembed")).find_embed(VIDEO, max_width=600)
    with pytest.raises(EmbedNotFoundException):
        configured_finder(provider_server.url("/moved")).find_embed(VIDEO)

    assert found["type"] == "video" and found["html"] == answer["html"]
    assert provider_server.requests["/oembed"] == 1 and provider_server.requests["/moved"] == 1
    assert connections(listener) == 0
