import pytest


@pytest.fixture
def webhook_secret(settings):
    from newsdesk.funding.tests.helpers import WEBHOOK_SECRET

    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_SECRET_KEY = ""
    return WEBHOOK_SECRET


@pytest.fixture
def demo_provider(settings):
    settings.STRIPE_SECRET_KEY = ""
