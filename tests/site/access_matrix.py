"""The authorization matrix: every URL pattern of the site and every API operation, for
seven roles (tested by ``test_authorization_matrix.py``).

The site's own views (ours, allauth's, the API, page serving through real pages) are listed
one by one in ``CASES`` with the status each role gets. Wagtail's and Django's admins bring
hundreds of URLs of their own: they are covered by ``RULES`` (every ``/admin/`` URL sends
visitors and readers to the sign-in page; every ``/django-admin/`` URL is the
administrator's alone), except our own admin views (moderation, funding, syndication),
which are listed as cases. A completeness test walks ``get_resolver()`` and the OpenAPI
document: a URL pattern or an API operation that is in neither fails it, so a new view
cannot ship unclassified.

Expectations: a status code, ``LOGIN`` (a 302 to a sign-in page) or ``DENIED`` (a 403, a
sign-in redirect, or Wagtail's way of refusing a signed-in user: a redirect to its
dashboard). Staff in Wagtail's own admin pages follow Wagtail's permission policy, which
these tests take as given; our admin pages are asserted for every role.
"""

from collections.abc import Callable

from newsdesk.funding.models_lifecycle import LifecycleMessage
from newsdesk.newsletters.urls_anymail import PROVIDERS as ANYMAIL_PROVIDERS
from tests.site.access import ROLES, World
from tests.site.access_urls import (
    ANY,
    DENIED,
    LOGIN,
    RQ_METRICS,
    RQ_STATS,
    RQ_STATS_TOKEN,
    Case,
    Rule,
    each,
    only,
    signed_in,
    viewset_cases,
)

MODERATORS = {"moderator", "admin"}
TREASURERS = {"treasurer", "admin"}
EVERYONE = set(ROLES)


def matrix_newsletter(w: World) -> int:
    """A newsletter list for the staff's edit page (made on first use)."""
    from newsdesk.newsletters.models import Newsletter

    newsletter, _ = Newsletter.objects.get_or_create(slug="matrix", defaults={"name": "Matrix"})
    return newsletter.pk


def comment_url(author: str, purpose: str, suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"/discussion/comments/{w.comment(author, purpose)}/{suffix}"


def api_comment_url(author: str, purpose: str, suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"/api/comments/{w.comment(author, purpose)}{suffix}"


def newsletter_issue(w: World):
    """A published issue of the daily picking the world's article (made on first use)."""
    from newsdesk.newsletters.models_issues import NewsletterIssuePage
    from newsdesk.newsletters.tests.issue_factories import issue

    return NewsletterIssuePage.objects.first() or issue(articles=[w.article])


def donate_form(w: World) -> dict:
    return {
        "campaign": w.campaign.pk,
        "currency": w.campaign.currency,
        "amount": "",
        "custom_amount": "15",
        "frequency": "once",
        "email": "giver@example.org",
        "donor_name": "",
        "message": "",
    }


# Readers' own comments: the author edits and deletes; a moderator deletes but never edits.
OWN_EDIT = only({"reader"}, 303, anonymous=403, others=403)
OWN_DELETE = only({"reader"} | MODERATORS, 303, anonymous=403, others=403)
OWN_API_EDIT = only({"reader"}, 200, anonymous=403, others=403)
OWN_API_DELETE = only({"reader"} | MODERATORS, 200, anonymous=403, others=403)

CASES: list[Case] = [
    # --- pages served by Wagtail, through real pages --------------------------------------
    Case(r"^((?:[\w\-]+/)*)$", "GET", "/", each(200)),
    Case(r"^((?:[\w\-]+/)*)$", "GET", lambda w: w.section.url, each(200)),
    Case(r"^((?:[\w\-]+/)*)$", "GET", lambda w: w.article.url, each(200)),
    Case(r"^((?:[\w\-]+/)*)$", "GET", lambda w: w.private.url, each(200, anonymous=LOGIN)),
    Case(r"^((?:[\w\-]+/)*)$", "GET", "/world/not-yet-out/", each(404)),
    Case(r"^((?:[\w\-]+/)*)$", "POST", lambda w: w.article.url, each(200)),
    Case("_util/login/", "GET", "/_util/login/", each(200)),
    Case(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        "GET",
        "/_util/authenticate_with_password/999999/999999/",
        each(404),
    ),
    Case(
        "documents/authenticate_with_password/<int:restriction_id>/",
        "GET",
        "/documents/authenticate_with_password/999999/",
        each(404),
    ),
    Case(r"documents/^(\d+)/(.*)$", "GET", "/documents/999999/nothing.pdf", each(404)),
    Case(r"^media/(?P<path>.*)$", "GET", "/media/no-such-file.jpg", each(404)),
    # --- articles: search, tags, authors, feeds, sitemaps -----------------------------------
    Case("search/", "GET", "/search/?q=river", each(200)),
    Case("tags/<slug:slug>/", "GET", "/tags/drought/", each(200)),
    Case("tags/<slug:slug>/", "GET", "/tags/no-such-tag/", each(404)),
    Case("authors/<slug:slug>/", "GET", lambda w: f"/authors/{w.author.slug}/", each(200)),
    Case("feeds/rss/", "GET", "/feeds/rss/", each(200)),
    Case("feeds/atom/", "GET", "/feeds/atom/", each(200)),
    Case("feeds/<slug:section>/rss/", "GET", "/feeds/world/rss/", each(200)),
    Case("feeds/<slug:section>/atom/", "GET", "/feeds/world/atom/", each(200)),
    Case("feeds/<slug:section>/rss/", "GET", "/feeds/no-such-section/rss/", each(404)),
    Case("sitemap.xml", "GET", "/sitemap.xml", each(200)),
    Case("news-sitemap.xml", "GET", "/news-sitemap.xml", each(200)),
    Case("robots.txt", "GET", "/robots.txt", each(200)),
    Case("favicon.ico", "GET", "/favicon.ico", each(200)),
    # --- discussion: forms without script ---------------------------------------------------
    Case(
        "discussion/articles/<int:article_id>/comments/",
        "POST",
        lambda w: f"/discussion/articles/{w.article.pk}/comments/",
        each(303),
        data={"body": "The well in our village is dry too.", "name": "Passer-by"},
    ),
    Case(
        "discussion/articles/<int:article_id>/comments/",
        "GET",
        lambda w: f"/discussion/articles/{w.article.pk}/comments/",
        each(405),
    ),
    Case(
        "discussion/articles/<int:article_id>/comments/",
        "POST",
        lambda w: f"/discussion/articles/{w.draft.pk}/comments/",
        each(404),
        data={"body": "Early.", "name": "Passer-by"},
    ),
    Case(
        "discussion/articles/<int:article_id>/more/",
        "GET",
        lambda w: f"/discussion/articles/{w.article.pk}/more/",
        each(200),
    ),
    # Live threads: the same shared answer for everyone (a draft's: 404, as for "more").
    Case(
        "discussion/articles/<int:article_id>/live",
        "GET",
        lambda w: f"/discussion/articles/{w.article.pk}/live",
        each(200),
    ),
    Case(
        "discussion/articles/<int:article_id>/live/comments",
        "GET",
        lambda w: f"/discussion/articles/{w.draft.pk}/live/comments?ids=1",
        each(404),
    ),
    Case("discussion/comments/<int:comment_id>/", "GET", comment_url("reader", "view"), each(302)),
    Case(
        "discussion/comments/<int:comment_id>/reply/",
        "GET",
        comment_url("reader", "view", "reply/"),
        each(200),
    ),
    Case(
        "discussion/comments/<int:comment_id>/edit/",
        "GET",
        comment_url("reader", "edit", "edit/"),
        only({"reader"}, 200, anonymous=403, others=403),
    ),
    Case(
        "discussion/comments/<int:comment_id>/edit/",
        "POST",
        comment_url("reader", "edit", "edit/"),
        OWN_EDIT,
        data={"body": "Edited: the river was low all summer and autumn."},
    ),
    # Asked first (the confirmation page), then deleted: the question before the deletion.
    Case(
        "discussion/comments/<int:comment_id>/delete/",
        "GET",
        comment_url("reader", "delete", "delete/"),
        only({"reader"} | MODERATORS, 200, anonymous=403, others=403),
    ),
    Case(
        "discussion/comments/<int:comment_id>/delete/",
        "POST",
        comment_url("reader", "delete", "delete/"),
        OWN_DELETE,
    ),
    Case(
        "discussion/comments/<int:comment_id>/vote/",
        "POST",
        comment_url("guest", "vote", "vote/"),
        each(303),
        data={"value": "up"},
    ),
    Case(
        "discussion/unsubscribe/<str:token>/", "GET", "/discussion/unsubscribe/no-such/", each(404)
    ),
    Case(
        "discussion/unsubscribe/<str:token>/", "POST", "/discussion/unsubscribe/no-such/", each(404)
    ),
    # A confirmation link is its own credential: a forged one is refused alike for everyone.
    Case(
        "discussion/confirm-email/<str:token>/",
        "GET",
        "/discussion/confirm-email/no-such/",
        each(400),
    ),
    Case(
        "discussion/confirm-email/<str:token>/",
        "POST",
        "/discussion/confirm-email/no-such/",
        each(400),
    ),
    Case(
        "discussion/export.json",
        "GET",
        "/discussion/export.json",
        only(MODERATORS, 200, others=403),
    ),
    # --- discussion: editors' picks (a public page) ------------------------------------------
    Case("discussion/picks/", "GET", "/discussion/picks/", each(200)),
    # --- moderation: readers report -----------------------------------------------------------
    Case(
        "moderation/comments/<int:comment_id>/report/",
        "GET",
        lambda w: f"/moderation/comments/{w.comment('guest', 'report')}/report/",
        each(200),
    ),
    Case(
        "moderation/comments/<int:comment_id>/report/",
        "POST",
        lambda w: f"/moderation/comments/{w.comment('guest', 'report')}/report/",
        each(201),
        data={"reason": "spam"},
    ),
    # --- funding: donate, the wall, the provider's webhook ---------------------------------
    Case("donate/", "GET", "/donate/", each(200)),
    Case("donate/", "POST", "/donate/", each(302), data=donate_form),
    Case("donate/thanks/", "GET", "/donate/thanks/", each(200)),
    Case("donate/wall/", "GET", "/donate/wall/", each(200)),
    Case("donate/demo/<str:token>/", "GET", "/donate/demo/forged-token/", each(400)),
    Case("donate/demo/<str:token>/", "POST", "/donate/demo/forged-token/", each(400)),
    Case("donate/cancel/<str:token>/", "GET", "/donate/cancel/forged-token/", each(404)),
    Case("donate/cancel/<str:token>/", "POST", "/donate/cancel/forged-token/", each(404)),
    # A monthly gift's manage link and the demo card page: the signed token is the credential.
    Case("donate/manage/<str:token>/", "GET", "/donate/manage/forged-token/", each(404)),
    Case("donate/manage/<str:token>/", "POST", "/donate/manage/forged-token/", each(404)),
    Case("donate/card/<str:token>/", "GET", "/donate/card/forged-token/", each(400)),
    Case("donate/card/<str:token>/", "POST", "/donate/card/forged-token/", each(400)),
    # --- newsletters: sign-up, confirmation, preferences, one-click unsubscribe ----------------
    # The token of a link is its own credential: a forged one is refused alike for everyone.
    Case("newsletter/subscribe/", "GET", "/newsletter/subscribe/", each(200)),
    Case("newsletter/subscribe/", "POST", "/newsletter/subscribe/", each(400), data={}),
    Case("newsletter/confirm/<str:token>/", "GET", "/newsletter/confirm/forged/", each(200)),
    Case("newsletter/confirm/<str:token>/", "POST", "/newsletter/confirm/forged/", each(404)),
    Case(
        "newsletter/preferences/<str:token>/", "GET", "/newsletter/preferences/forged/", each(404)
    ),
    Case(
        "newsletter/preferences/<str:token>/", "POST", "/newsletter/preferences/forged/", each(404)
    ),
    Case("newsletter/link/", "GET", "/newsletter/link/", each(200)),
    Case("newsletter/link/", "POST", "/newsletter/link/", each(400), data={}),
    Case(
        "newsletter/unsubscribe/<str:token>/<slug:slug>/",
        "GET",
        "/newsletter/unsubscribe/forged/daily/",
        each(404),
    ),
    Case(
        "newsletter/unsubscribe/<str:token>/<slug:slug>/",
        "POST",
        "/newsletter/unsubscribe/forged/daily/",
        each(404),
        data={"List-Unsubscribe": "One-Click"},
    ),
    Case("accounts/newsletters/", "GET", "/accounts/newsletters/", signed_in(200)),
    # The providers' tracking webhooks: unauthenticated, refused alike for everyone.
    *[
        Case(f"newsletter/anymail/{e}/tracking/", "POST", f"/{route}", each(400))
        for e in ANYMAIL_PROVIDERS
        for route in [f"newsletter/anymail/{e}/tracking/"]
    ],
    # A counted link (NEWSLETTER_CLICK_COUNTS): a forged one leads nowhere.
    Case("newsletter/c/<int:send_id>/<str:token>/", "GET", "/newsletter/c/1/forged/", each(404)),
    # Staff's lists and subscribers: no group is given the newsletters' permissions yet.
    Case(
        "admin/snippets/newsletters/newsletter/add/",
        "GET",
        "/admin/snippets/newsletters/newsletter/add/",
        only({"admin"}),
    ),
    Case(
        "admin/snippets/newsletters/newsletter/edit/<int:pk>/",
        "GET",
        lambda w: f"/admin/snippets/newsletters/newsletter/edit/{matrix_newsletter(w)}/",
        only({"admin"}),
    ),
    Case("admin/newsletter_subscribers/", "GET", "/admin/newsletter_subscribers/", only({"admin"})),
    Case(
        "admin/newsletter_subscribers/results/",
        "GET",
        "/admin/newsletter_subscribers/results/",
        only({"admin"}),
    ),
    Case("webhooks/stripe/", "GET", "/webhooks/stripe/", each(405)),
    Case(
        "webhooks/stripe/",
        "POST",
        "/webhooks/stripe/",
        each(400),
        data={"id": "evt_forged"},
        json=True,
    ),
    # --- the JSON API --------------------------------------------------------------------------
    Case("api/openapi.json", "GET", "/api/openapi.json", each(200)),
    Case("api/docs", "GET", "/api/docs", each(200)),
    Case("api/", "GET", "/api/", each(404)),
    Case("api/threads/<article_id>", "GET", lambda w: f"/api/threads/{w.article.pk}", each(200)),
    Case("api/threads/<article_id>", "GET", lambda w: f"/api/threads/{w.draft.pk}", each(404)),
    Case(
        "api/threads/<article_id>/comments",
        "POST",
        lambda w: f"/api/threads/{w.article.pk}/comments",
        each(201),
        json=True,
        data={"body": "Our well ran dry in August.", "name": "Passer-by"},
    ),
    Case(
        "api/threads/<article_id>/mine",
        "GET",
        lambda w: f"/api/threads/{w.article.pk}/mine",
        each(200),
    ),
    Case(
        "api/comments/<comment_id>",
        "PATCH",
        api_comment_url("reader", "api_edit"),
        OWN_API_EDIT,
        json=True,
        data={"body": "Edited through the API, still about rivers."},
    ),
    Case(
        "api/comments/<comment_id>",
        "DELETE",
        api_comment_url("reader", "api_delete"),
        OWN_API_DELETE,
    ),
    Case(
        "api/comments/<comment_id>",
        "PATCH",
        "/api/comments/999999",
        each(404),
        json=True,
        data={"body": "Nothing here."},
    ),
    Case(
        "api/comments/<comment_id>/votes",
        "POST",
        api_comment_url("guest", "api_vote", "/votes"),
        each(201),
        json=True,
        data={"value": 1},
    ),
    # --- the API: editors' and moderators' controls (picks, answers) --------------------------
    Case(
        "api/threads/<article_id>/staff",
        "GET",
        lambda w: f"/api/threads/{w.article.pk}/staff",
        each(200),
    ),
    Case(
        "api/comments/<comment_id>/pick",
        "POST",
        api_comment_url("guest", "vote", "/pick"),
        only(MODERATORS, 200, anonymous=403, others=403),
    ),
    Case(
        "api/comments/<comment_id>/pick",
        "DELETE",
        api_comment_url("guest", "vote", "/pick"),
        only(MODERATORS, 200, anonymous=403, others=403),
    ),
    # The world's thread is not in Q&A mode: staff are told so (400), anyone else refused.
    Case(
        "api/comments/<comment_id>/answer",
        "POST",
        api_comment_url("guest", "vote", "/answer"),
        only(MODERATORS, 400, anonymous=403, others=403),
    ),
    Case(
        "api/comments/<comment_id>/answer",
        "DELETE",
        api_comment_url("guest", "vote", "/answer"),
        only(MODERATORS, 200, anonymous=403, others=403),
    ),
    # Slow mode (set to 0, off: the world's later posts are not held back by it).
    Case(
        "api/threads/<article_id>/slow-mode",
        "PUT",
        lambda w: f"/api/threads/{w.article.pk}/slow-mode",
        only(MODERATORS, 200, anonymous=403, others=403),
        json=True,
        data={"seconds": 0},
    ),
    # --- the API: readers' own controls (ignore, follow) --------------------------------------
    Case("api/discussion/controls", "GET", "/api/discussion/controls", each(200)),
    Case(
        "api/comment-counts",
        "GET",
        lambda w: f"/api/comment-counts?articles={w.article.pk},{w.draft.pk}",
        each(200),
    ),
    # The world's comment is a guest's: guests cannot be ignored (400); visitors have no list.
    Case(
        "api/comments/<comment_id>/ignore",
        "POST",
        api_comment_url("guest", "vote", "/ignore"),
        signed_in(400) | {"anonymous": 403},
    ),
    Case(
        "api/discussion/ignored/<ignored_id>",
        "DELETE",
        "/api/discussion/ignored/999999",
        signed_in(404) | {"anonymous": 403},
    ),
    Case(
        "api/threads/<article_id>/follow",
        "POST",
        lambda w: f"/api/threads/{w.article.pk}/follow",
        signed_in(200) | {"anonymous": 403},
    ),
    Case(
        "api/threads/<article_id>/follow",
        "DELETE",
        lambda w: f"/api/threads/{w.article.pk}/follow",
        signed_in(200) | {"anonymous": 403},
    ),
    Case("accounts/discussion/", "GET", "/accounts/discussion/", signed_in(200)),
    # --- accounts (django-allauth) -----------------------------------------------------------
    Case("accounts/login/", "GET", "/accounts/login/", each(302, anonymous=200)),
    Case("accounts/logout/", "GET", "/accounts/logout/", each(200, anonymous=302)),
    Case("accounts/inactive/", "GET", "/accounts/inactive/", each(200)),
    Case("accounts/signup/", "GET", "/accounts/signup/", each(302, anonymous=200)),
    Case("accounts/reauthenticate/", "GET", "/accounts/reauthenticate/", signed_in(200)),
    Case("accounts/email/", "GET", "/accounts/email/", signed_in(200)),
    Case("accounts/confirm-email/", "GET", "/accounts/confirm-email/", each(200)),
    Case("accounts/password/change/", "GET", "/accounts/password/change/", signed_in(200)),
    Case("accounts/password/set/", "GET", "/accounts/password/set/", signed_in(302)),
    Case("accounts/password/reset/", "GET", "/accounts/password/reset/", each(200)),
    Case("accounts/password/reset/done/", "GET", "/accounts/password/reset/done/", each(200)),
    Case(
        "accounts/password/reset/key/done/", "GET", "/accounts/password/reset/key/done/", each(200)
    ),
    Case(
        r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        "GET",
        "/accounts/password/reset/key/zz-no-such-key/",
        each(200),
    ),
    Case(
        r"accounts/^confirm-email/(?P<key>[-:\w]+)/$",
        "GET",
        "/accounts/confirm-email/no-such-key/",
        each(200),
    ),
    Case("accounts/login/code/confirm/", "GET", "/accounts/login/code/confirm/", each(302)),
    # --- readers' privacy (the accounts app) ----------------------------------------------------
    Case("accounts/privacy/", "GET", "/accounts/privacy/", signed_in(200)),
    Case("accounts/privacy/export.json", "GET", "/accounts/privacy/export.json", signed_in(200)),
    Case("accounts/privacy/erase/", "GET", "/accounts/privacy/erase/", signed_in(200)),
    Case("accounts/privacy/erase/", "POST", "/accounts/privacy/erase/", signed_in(400), data={}),
    Case("csrf/", "GET", "/csrf/", each(200)),
    # The footer's language choice: a redirect back for everyone (the cookie only on a POST).
    Case("i18n/setlang/", "GET", "/i18n/setlang/?next=/", each(302)),
    Case(
        "i18n/setlang/", "POST", "/i18n/setlang/", each(302), data={"language": "en", "next": "/"}
    ),
    Case("accounts/privacy/erased/", "GET", "/accounts/privacy/erased/", each(200)),
    # --- moderators' admin --------------------------------------------------------------------
    Case("admin/moderation/", "GET", "/admin/moderation/", only(MODERATORS)),
    Case("admin/moderation/act/", "POST", "/admin/moderation/act/", only(MODERATORS, 302)),
    # GET is refused for its method before anyone's permission is looked at.
    Case(
        "admin/moderation/act/",
        "GET",
        "/admin/moderation/act/",
        only(MODERATORS | {"editor", "treasurer"}, 405),
    ),
    Case("admin/moderation/log/", "GET", "/admin/moderation/log/", only(MODERATORS)),
    Case(
        "admin/moderation/log/<int:decision_id>/undo/",
        "POST",
        "/admin/moderation/log/999999/undo/",
        only(MODERATORS, 302),
    ),
    Case("admin/moderation/bans/", "GET", "/admin/moderation/bans/", only(MODERATORS)),
    Case(
        "admin/moderation/bans/<int:ban_id>/lift/",
        "POST",
        "/admin/moderation/bans/999999/lift/",
        only(MODERATORS, 302),
    ),
    Case("admin/moderation/retrain/", "GET", "/admin/moderation/retrain/", only(MODERATORS, ANY)),
    Case("admin/moderation/activity/", "GET", "/admin/moderation/activity/", only(MODERATORS)),
    Case("admin/moderation/appeals/", "GET", "/admin/moderation/appeals/", only(MODERATORS)),
    Case(
        "admin/moderation/appeals/<int:appeal_id>/decide/",
        "POST",
        "/admin/moderation/appeals/999999/decide/",
        only(MODERATORS, 302),
    ),
    # Commenters' history and notes, the watch list (moderation/admin_views_dossier.py).
    Case(
        "admin/moderation/commenters/<str:key>/",
        "GET",
        lambda w: f"/admin/moderation/commenters/account:{w.comments[('reader', 'view')].user_id}/",
        only(MODERATORS),
    ),
    Case(
        "admin/moderation/notes/add/", "POST", "/admin/moderation/notes/add/", only(MODERATORS, 302)
    ),
    Case(
        "admin/moderation/notes/delete/",
        "POST",
        "/admin/moderation/notes/delete/",
        only(MODERATORS, 302),
    ),
    Case("admin/moderation/watch/", "GET", "/admin/moderation/watch/", only(MODERATORS)),
    Case(
        "admin/moderation/watch/add/", "POST", "/admin/moderation/watch/add/", only(MODERATORS, 302)
    ),
    Case(
        "admin/moderation/watch/toggle/",
        "POST",
        "/admin/moderation/watch/toggle/",
        only(MODERATORS, 302),
    ),
    Case(
        "admin/moderation/watch/<int:entry_id>/remove/",
        "POST",
        "/admin/moderation/watch/999999/remove/",
        only(MODERATORS, 302),
    ),
    # --- reasons and appeals: a reader's own comments, the public transparency page ----------
    Case("account/", "GET", "/account/", signed_in(200)),
    # The donor's own giving: only gifts of their verified addresses (none of the world's).
    Case("account/giving/", "GET", "/account/giving/", signed_in(200)),
    Case("account/giving/", "POST", "/account/giving/", signed_in(404), data={}),
    Case(
        "account/receipts/<int:donation_id>.pdf",
        "GET",
        lambda w: f"/account/receipts/{w.donation.pk}.pdf",
        signed_in(404),
    ),
    Case(
        "account/receipts/<int:year>/statement.pdf",
        "GET",
        "/account/receipts/2026/statement.pdf",
        signed_in(404),
    ),
    Case("account/", "POST", "/account/", signed_in(400), data={}),
    Case("accounts/login/code/", "GET", "/accounts/login/code/", each(302, anonymous=200)),
    Case("accounts/comments/", "GET", "/accounts/comments/", signed_in(200)),
    Case("accounts/comments/", "POST", "/accounts/comments/", signed_in(400), data={}),
    Case("transparency/", "GET", "/transparency/", each(200)),
    # --- discussion's admin: an article's Q&A mode and picks -----------------------------------
    Case(
        "admin/discussion/articles/<int:article_id>/",
        "GET",
        lambda w: f"/admin/discussion/articles/{w.article.pk}/",
        only(MODERATORS),
    ),
    Case(
        "admin/discussion/articles/<int:article_id>/",
        "POST",
        lambda w: f"/admin/discussion/articles/{w.article.pk}/",
        only(MODERATORS, 302),
        data={"action": "unpick", "comment": "999999"},
    ),
    # --- syndication's admin ------------------------------------------------------------------
    Case(
        "admin/syndication/sources/<int:pk>/poll/",
        "GET",
        lambda w: f"/admin/syndication/sources/{w.source.pk}/poll/",
        only({"admin"}),
    ),
    # --- treasurers' admin: donor data --------------------------------------------------------
    Case("admin/funding/record/", "GET", "/admin/funding/record/", only(TREASURERS)),
    Case(
        "donate/emails/unsubscribe/<str:token>/",
        "GET",
        "/donate/emails/unsubscribe/forged/",
        each(404),
    ),
    Case(
        "donate/emails/unsubscribe/<str:token>/",
        "POST",
        "/donate/emails/unsubscribe/forged/",
        each(404),
        data={"List-Unsubscribe": "One-Click"},
    ),
    Case(
        "admin/funding/donor-emails/<int:message_id>/preview/",
        "GET",
        lambda w: "/admin/funding/donor-emails/{}/preview/".format(
            LifecycleMessage.objects.values_list("pk", flat=True).first()
        ),
        only(TREASURERS | {"editor"}),
    ),
    Case("admin/funding/report/", "GET", "/admin/funding/report/", only(TREASURERS, 302)),
    Case("admin/funding/revenue/", "GET", "/admin/funding/revenue/", only(TREASURERS)),
    Case(
        "admin/funding/report/<int:campaign_id>/",
        "GET",
        lambda w: f"/admin/funding/report/{w.campaign.pk}/",
        only(TREASURERS),
    ),
    Case(
        "admin/funding_donations/", "GET", "/admin/funding_donations/?export=csv", only(TREASURERS)
    ),
    Case(
        "admin/funding/donations/<int:donation_id>/refund/",
        "GET",
        lambda w: f"/admin/funding/donations/{w.donation.pk}/refund/",
        only(TREASURERS),
    ),
    # --- newsletters' reports, import and export (newsletters/admin_urls.py) -----------------
    # Subscribers' addresses: no group is given the newsletters' subscriber permissions yet.
    Case("admin/newsletters/reports/", "GET", "/admin/newsletters/reports/", only({"admin"})),
    Case(
        "admin/newsletters/reports/sends/<int:send_id>/",
        "GET",
        "/admin/newsletters/reports/sends/999999/",
        only({"admin"}, 404),
    ),
    Case(
        "admin/newsletters/reports/lists/<int:newsletter_id>/",
        "GET",
        "/admin/newsletters/reports/lists/999999/",
        only({"admin"}, 404),
    ),
    Case("admin/newsletters/import/", "GET", "/admin/newsletters/import/", only({"admin"})),
    Case("admin/newsletters/import/", "POST", "/admin/newsletters/import/", only({"admin"}, 400)),
    Case(
        "admin/newsletters/export/<int:newsletter_id>/",
        "GET",
        "/admin/newsletters/export/999999/",
        only({"admin"}, 404),
    ),
    # --- newsletters' issues: a test to oneself (who may edit the page), scheduling (who may
    # publish it: Wagtail's Moderators, not its Editors), newsletters/wagtail_hooks_issues.py
    Case(
        "admin/newsletters/issues/<int:page_id>/test/",
        "GET",
        lambda w: f"/admin/newsletters/issues/{newsletter_issue(w).pk}/test/",
        only({"moderator", "editor", "admin"}),
    ),
    Case(
        "admin/newsletters/issues/<int:page_id>/test/",
        "POST",
        lambda w: f"/admin/newsletters/issues/{newsletter_issue(w).pk}/test/",
        only({"moderator", "editor", "admin"}, 302),
    ),
    Case(
        "admin/newsletters/issues/<int:page_id>/schedule/",
        "GET",
        lambda w: f"/admin/newsletters/issues/{newsletter_issue(w).pk}/schedule/",
        only({"moderator", "admin"}),
    ),
    Case(
        "admin/newsletters/issues/<int:page_id>/schedule/",
        "POST",
        lambda w: f"/admin/newsletters/issues/{newsletter_issue(w).pk}/schedule/",
        only({"moderator", "admin"}, 302),
        data={"segment": "all", "when": "now"},
    ),
    # --- Wagtail's own admin pages that matter most -------------------------------------------
    Case("admin/", "GET", "/admin/", only({"moderator", "editor", "treasurer", "admin"})),
    Case("admin/users/", "GET", "/admin/users/", only({"admin"})),
    Case("admin/groups/", "GET", "/admin/groups/", only({"admin"})),
    Case(
        "admin/pages/<int:page_id>/edit/",
        "GET",
        lambda w: f"/admin/pages/{w.article.pk}/edit/",
        only({"moderator", "editor", "admin"}),
    ),
]


VIEWSET_VIEWS = ["", "results", "new", "edit", "delete", "history", "history-results", "usage"]
LEDGER_VIEWS = {view: TREASURERS for view in [*VIEWSET_VIEWS, "inspect"]}
# The ledger is append-only: no one edits or deletes a row, administrators included.
# Where a row is used is not a listing Wagtail offers without the change permission.
LEDGER_VIEWS.update({"edit": set(), "delete": set(), "usage": set()})
# Gifts recorded by hand go through the treasurers' own form (a service), not a generic one.
LEDGER_VIEWS["new"] = (TREASURERS, 302)
# Campaigns are switched off, never deleted (the ledger points at them).
CAMPAIGN_VIEWS = {**LEDGER_VIEWS, "new": TREASURERS, "edit": TREASURERS, "usage": TREASURERS}
CASES += viewset_cases("funding_donations", lambda w: w.donation.pk, LEDGER_VIEWS)
CASES += viewset_cases("funding_campaigns", lambda w: w.campaign.pk, CAMPAIGN_VIEWS)
# Subscriptions change only through the provider; provider events are the provider's record.
PROVIDER_VIEWS = {**LEDGER_VIEWS, "new": set(), "history": set(), "history-results": set()}
CASES += viewset_cases("funding_monthly_gifts", lambda w: w.monthly_gift.pk, PROVIDER_VIEWS)
CASES += viewset_cases("funding_provider_events", lambda w: w.provider_event.pk, PROVIDER_VIEWS)
SNIPPET_VIEWS = ["", "results", "add", "edit", "delete", "usage", "history", "history-results"]
# Partner feeds are the administrator's: no group is given the syndication permissions.
CASES += viewset_cases(
    "snippets/syndication/source",
    lambda w: w.source.pk,
    {**{view: {"admin"} for view in SNIPPET_VIEWS}, "copy": {"admin"}},
)

# Routes another engineer is adding, listed in CASES before they exist: tolerated as missing
# only while the view does not exist (the readers' privacy pages and /mine were, and landed).
PENDING_ROUTES: set[str] = set()
OUR_ADMIN_PREFIXES = (
    "admin/moderation/",
    "admin/funding",
    "admin/syndication/",
    "admin/snippets/syndication/",
)


RULES = [
    Rule(
        "Wagtail's admin: visitors and readers are sent to the sign-in page",
        # Not our own admin views: those are cases, each role asserted.
        lambda route, module: (
            route.startswith("admin/")
            and not route.startswith(OUR_ADMIN_PREFIXES)
            and not module.startswith("newsdesk.")
        ),
        # Staff follow Wagtail's own policy there; another reader is a reader like the first.
        {"anonymous": LOGIN, "reader": DENIED},
        # Signing in, resetting a password, and the admin's icons and translations.
        {
            route: {"anonymous": 200, "reader": 200}
            for route in (
                "admin/login/",
                "admin/password_reset/",
                "admin/password_reset/done/",
                "admin/password_reset/confirm/<uidb64>/<token>/",
                "admin/password_reset/complete/",
                "admin/jsi18n/",
                "admin/sprite/",
            )
        },
    ),
    Rule(
        "Django's admin: the administrator's alone",
        lambda route, module: route.startswith("django-admin/"),
        {**each(LOGIN), "admin": ANY},
        {
            "django-admin/login/": each(200, admin=302),
            # Signing out is a POST; a GET is sent back to the admin's index.
            "django-admin/logout/": each(302, admin=405),
            # The RQ dashboard's statistics (Redis tier): JSON, a 401 without a session of
            # staff or the API token (none is configured).
            RQ_STATS: each(401, admin=200),
            RQ_STATS_TOKEN: each(401, admin=200),
            RQ_METRICS: each(401, admin=200),
        },
    ),
]
