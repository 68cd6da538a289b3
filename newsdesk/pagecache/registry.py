"""What other apps tell the page cache, through one path: the ``PAGECACHE_RULES`` hook.

The page cache names no other app. Each app that has something to say registers, in its
``wagtail_hooks.py``, a function returning a ``core.hooks.PageCacheRules``: the cookies and
headers that make a request personal to it, its public routes with the query parameters it
reads there, its private URL prefixes, its page models shown in listings and (web) what draws
a late slot on every serve (``late_slot_draw``) and the layout of the page cache's own pages
(``page_layout``). The hooks are
read once, at first use (every app's hooks are registered by then), and merged here with the
site's own values of ``conf`` (Django's session and messages cookies, ``Authorization``, the
admins' and files' prefixes), which settings may replace and are read at every use.

A rule registered by mistake can only make the cache share less (one more personal input,
one more private prefix); a public route is shared only when a view renders it without a
personal input (``middleware._storable``).
"""

from collections.abc import Iterable
from functools import cache

from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.core.hooks import PageCacheRules
from newsdesk.pagecache import conf


def _ordered(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


@cache
def registered_rules() -> PageCacheRules:
    """Every app's rules merged into one (cached for the process: ``registered_rules_reset``
    after registering a hook later, as a test does).

    Raises ``TypeError`` naming the hook when one returns anything but ``PageCacheRules``.
    """
    cookies: list[str] = []
    headers: list[str] = []
    prefixes: list[str] = []
    models: list[type] = []
    late_slot_renderers: list = []
    layouts: list[str] = []
    routes: dict[tuple[str, str], dict[str, str]] = {}
    for rules_of_app in hooks.get_hooks(newsdesk_hooks.PAGECACHE_RULES):
        rules = rules_of_app()
        if not isinstance(rules, PageCacheRules):
            raise TypeError(
                f"{rules_of_app.__module__}.{rules_of_app.__qualname__} must return "
                f"PageCacheRules, not {type(rules).__name__}."
            )
        cookies.extend(rules.personal_cookies)
        headers.extend(rules.personal_headers)
        prefixes.extend(rules.private_prefixes)
        models.extend(rules.listed_page_models)
        late_slot_renderers.extend(rules.late_slot_renderers)
        if rules.page_layout:
            layouts.append(rules.page_layout)
        for route, params in rules.public_routes.items():
            routes.setdefault(route, {}).update(params)
    return PageCacheRules(
        personal_cookies=_ordered(cookies),
        personal_headers=_ordered(headers),
        public_routes=routes,
        private_prefixes=_ordered(prefixes),
        listed_page_models=tuple(dict.fromkeys(models)),
        late_slot_renderers=tuple(dict.fromkeys(late_slot_renderers)),
        page_layout=layouts[0] if layouts else "",
    )


def registered_rules_reset() -> None:
    """Forget the merged rules: the next use reads the hooks again."""
    registered_rules.cache_clear()


def personal_cookies() -> tuple[str, ...]:
    """Request cookies that make a page personal: Django's (``conf``) and the apps'."""
    return _ordered((*conf.bypass_cookies(), *registered_rules().personal_cookies))


def personal_headers() -> tuple[str, ...]:
    """Request headers that make a page personal: ``Authorization`` and the apps'."""
    return _ordered((*conf.personal_headers(), *registered_rules().personal_headers))


def private_prefixes() -> tuple[str, ...]:
    """Paths never served from or stored in the cache: the site's own and the apps'."""
    return _ordered((*conf.excluded_path_prefixes(), *registered_rules().private_prefixes))


def public_route_params(route: tuple[str, str]) -> dict[str, str] | None:
    """The query parameters read on the public view ``route`` (``(namespace, url_name)``)
    with their values' patterns; None when no app registered it as public. A pattern in
    ``PAGECACHE_QUERY_PARAMS`` replaces the registered one of that name."""
    params = registered_rules().public_routes.get(route)
    if params is None:
        return None
    overrides = conf.query_params()
    if overrides:
        return {name: overrides.get(name, pattern) for name, pattern in params.items()}
    return dict(params)


def is_public_route(route: tuple[str, str]) -> bool:
    return route in registered_rules().public_routes


def is_listed_page(page) -> bool:
    """Whether ``page`` is of a model shown in listings and listing nothing itself (an
    article): its change outdates its page and the listings, not the whole site."""
    models = registered_rules().listed_page_models
    return bool(models) and isinstance(page, models)


def late_slot_draw(*, name: str, request) -> str:
    """The late slot ``name`` drawn now for ``request``: the parts of every registered
    ``late_slot_renderers`` joined in order ("" when none is registered, as without web)."""
    return "".join(
        str(render(name=name, request=request)) for render in registered_rules().late_slot_renderers
    )


# The page cache's own pages without a registered layout: a plain page with the same blocks.
PAGE_LAYOUT_DEFAULT = "pagecache/layout.html"


def page_layout() -> str:
    """The template the page cache's own pages extend: the registered ``page_layout`` (web's
    base template), or a plain page of the page cache's when no app registered one."""
    return registered_rules().page_layout or PAGE_LAYOUT_DEFAULT
