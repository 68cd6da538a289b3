"""The links every newsletter mail carries, built in one place: the sender fills them in per
recipient, the pages answer them (``urls.py``).

A subscriber's ``token`` is the secret of these links: whoever holds a mail sent to the
address may change that address's subscriptions without signing in, as every newsletter
system allows, and nothing more (no account, no gifts).
"""

from django.urls import reverse

from newsdesk.core.siteurl import absolute_url


def preferences_url(*, token: str) -> str:
    """The subscriber's preferences page: every list, subscribe or leave, no sign-in."""
    return absolute_url(path=reverse("newsletters:preferences", kwargs={"token": token}))


def unsubscribe_url(*, token: str, newsletter_slug: str) -> str:
    """Leave one list: a POST here unsubscribes at once (RFC 8058's one-click, the
    ``List-Unsubscribe`` header's target); a GET shows a page with one button."""
    return absolute_url(
        path=reverse("newsletters:unsubscribe", kwargs={"token": token, "slug": newsletter_slug})
    )


def confirm_url(*, token: str) -> str:
    """Confirm the pending subscriptions of an address (double opt-in)."""
    return absolute_url(path=reverse("newsletters:confirm", kwargs={"token": token}))
