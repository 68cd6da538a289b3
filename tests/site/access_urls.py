"""The machinery of the authorization matrix: the site's URL map, made-up addresses for its
routes, and how an expected answer is written and checked (the table is ``access_matrix.py``).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from tests.site.access import ROLES, SIGNED_IN, World

LOGIN = "sign-in redirect"
DENIED = "denied"
ANY = "any status but 5xx"


# --- the URL map ---------------------------------------------------------------------------
def url_patterns() -> list[tuple[str, str]]:
    """Every (route, view module) of the site, routes joined from the root as written."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                module = getattr(pattern.callback, "__module__", "")
                found.append((prefix + str(pattern.pattern), module))

    walk(get_resolver().url_patterns, "")
    return found


SAMPLE = {"int": "999999", "path": "999999", "slug": "no-such-slug", "str": "no-such", None: "1"}
# Parameters that name a configured thing, not a row: the RQ dashboard's queue, scheduler and
# connection are indexes into settings (the first exists on the Redis tier).
SAMPLE_BY_NAME = {"queue_index": "0", "scheduler_index": "0", "connection_index": "0"}
# Regular-expression routes, each with an address it matches.
REGEX_SAMPLES = {
    r"admin/pages/^(?P<pk>\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)"
    r"\.\.\.(?P<revision_id_b>live|latest|\d+)/$": (
        "/admin/pages/2/revisions/compare/earliest...live/"
    ),
    "admin/^.*/$": "/admin/no-such-admin-page/",
    "django-admin/(?P<url>.*)$": "/django-admin/no-such-thing/",
    r"documents/^(\d+)/(.*)$": "/documents/999999/nothing.pdf",
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$": "/accounts/confirm-email/no-such-key/",
    r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "/accounts/password/reset/key/zz-no-such-key/"
    ),
    r"^media/(?P<path>.*)$": "/media/no-such-file.jpg",
    r"^((?:[\w\-]+/)*)$": "/no-such-page/",
}
RQ_STATS = "django-admin/django_rq/dashboard/^stats.json/?$"
RQ_STATS_TOKEN = r"django-admin/django_rq/dashboard/^stats.json/(?P<token>[\w]+)?/?$"
# Its Prometheus text (django_rq offers it once prometheus_client is installed).
RQ_METRICS = "django-admin/django_rq/dashboard/^metrics/?$"
# Routes that exist on one tier only: the RQ dashboard's statistics (Redis tier), which
# answer a bearer token or an administrator's session.
TIER_SAMPLES = {
    RQ_STATS: "/django-admin/django_rq/dashboard/stats.json/",
    RQ_STATS_TOKEN: "/django-admin/django_rq/dashboard/stats.json/notthetoken/",
    RQ_METRICS: "/django-admin/django_rq/dashboard/metrics/",
}
# Routes whose text depends on the apps installed (Django's admin lists the apps in its
# app-index pattern, and django_rq is installed only with Redis), by how they begin.
PREFIX_SAMPLES = {
    "django-admin/^(?P<app_label>": "/django-admin/auth/",
}


def concrete(route: str) -> str:
    """An address that ``route`` matches, with made-up values for its parameters."""
    if route in REGEX_SAMPLES or route in TIER_SAMPLES:
        return REGEX_SAMPLES.get(route) or TIER_SAMPLES[route]
    for prefix, address in PREFIX_SAMPLES.items():
        if route.startswith(prefix):
            return address
    plain = route.replace("^", "").replace("$", "")
    if "(" in plain:
        raise KeyError(f"add an address for the route {route!r} to REGEX_SAMPLES")
    return "/" + re.sub(
        r"<(?:(\w+):)?(\w+)>",
        lambda m: SAMPLE_BY_NAME.get(m.group(2), SAMPLE[m.group(1)]),
        plain,
    )


# --- expectations --------------------------------------------------------------------------
def each(value=200, **roles) -> dict:
    """The same answer for every role, except those named."""
    return {role: roles.get(role, value) for role in ROLES}


def only(roles: set, allowed=200, *, anonymous=LOGIN, others=DENIED) -> dict:
    """``allowed`` for ``roles``; a sign-in redirect for visitors; ``others`` for the rest."""
    answers = {}
    for role in ROLES:
        if role in roles:
            answers[role] = allowed
        elif role == "anonymous":
            answers[role] = anonymous
        else:
            answers[role] = others
    return answers


def signed_in(allowed=200) -> dict:
    return only(SIGNED_IN, allowed, others=allowed)


def matches(response, expected) -> bool:
    location = response.get("Location", "")
    if expected == ANY:
        return response.status_code < 500
    if expected == LOGIN:
        return response.status_code == 302 and "login" in location
    if expected == DENIED:
        return response.status_code == 403 or (
            response.status_code == 302 and ("login" in location or location == "/admin/")
        )
    return response.status_code == expected


@dataclass
class Case:
    """One request: ``route`` as the resolver spells it, the address and body from the
    world, and what each role gets."""

    route: str
    method: str
    url: Callable[[World], str] | str
    expect: dict
    data: Callable[[World], dict] | dict = field(default_factory=dict)
    json: bool = False
    accept_json: bool = False

    def address(self, world: World) -> str:
        return self.url(world) if callable(self.url) else self.url

    def body(self, world: World):
        return self.data(world) if callable(self.data) else self.data


def viewset_cases(prefix: str, pk: Callable[[World], int], allowed: dict) -> list[Case]:
    """Every view of one of our Wagtail model viewsets or snippets under ``admin/PREFIX/``:
    ``allowed[view]`` are the roles that get 200 from it, or (roles, status)."""
    cases = []
    for view, roles in allowed.items():
        roles, answer = roles if isinstance(roles, tuple) else (roles, 200)
        with_pk = view not in {"", "results", "new", "add"}
        suffix = f"{view}/{{pk}}/" if with_pk else f"{view}/" if view else ""
        cases.append(
            Case(
                f"admin/{prefix}/" + suffix.replace("{pk}", "<int:pk>"),
                "GET",
                lambda w, suffix=suffix: f"/admin/{prefix}/" + suffix.replace("{pk}", str(pk(w))),
                only(roles, answer) if roles else each(DENIED, anonymous=LOGIN),
            )
        )
    return cases


@dataclass
class Rule:
    """What each role gets from every (route, view module) ``applies`` accepts (with GET)."""

    name: str
    applies: Callable[[str, str], bool]
    expect: dict
    # route -> {role: answer} where a route of the rule answers otherwise.
    exceptions: dict = field(default_factory=dict)
