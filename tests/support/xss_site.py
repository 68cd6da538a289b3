"""The site's side of the XSS browser test: payloads posted through the real services.

These functions run inside a served Newsdesk's environment (its database, its settings), in
one long-lived process that ``tests.support.xss.SiteDriver`` talks to with one JSON line
per call, so the test can post, look in the browser, and post again without paying for a
Django start each time. Rate limits guard HTTP posting only; the services called here are
the ones the views call after the limit, so none applies.

Each surface stores something derived from what was posted (sanitized HTML, plain text).
Payloads whose stored form is the same render the same page, so the functions here report,
for every payload, what was stored and where, and create one object per distinct stored
form; where a field holds many payloads (a comment body, a feed item's content) payloads are
bundled only when the bundle's stored HTML equals the stored HTML of each payload alone,
joined, so the page shows exactly what separate posts would have shown.
"""

import json
import re
import sys
import traceback
import uuid
from collections.abc import Callable
from decimal import Decimal
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

REPLY_MARK = "@@xss-driver@@"
COMMENT_BODY_BUDGET = 9_000  # characters of payloads per bundled comment (limit 10,000)
FEED_BODY_BUDGET = 8_000
AUTHORS_PER_ENTRY = 20
# Characters XML 1.0 cannot carry, even as references: such payloads cannot be in a feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPACE = re.compile(r"\s+")
PARTNER = "https://partner.example"


def text_shape(text: str) -> str:
    """The escaping-relevant shape of plain text: letter and digit runs stand for any.

    Plain text is shown escaped character by character, so two names with the same shape
    (the same punctuation, quotes and brackets in the same order) exercise the same code.
    """
    return re.sub(r"[A-Za-z]+", "a", re.sub(r"[0-9]+", "0", text))


def same_html(a: str, b: str) -> bool:
    """Equal but for white space between or inside text (which runs no code)."""
    return _SPACE.sub("", a) == _SPACE.sub("", b)


def bundles_make(
    items: list[tuple[int, str]],
    *,
    render_many: Callable[[list[str]], list[str]],
    separator: str,
    budget: int,
    alone: dict[int, str] | None = None,
) -> tuple[list[list[int]], dict[int, str]]:
    """Group payloads so that each group, posted as one text, stores what they store alone.

    ``items`` are (payload index, text); ``render_many`` stores many texts at once and
    returns their stored forms. A group whose stored form is not the join of its members'
    is split in halves until it is (a payload that disturbs its neighbours ends alone).
    """
    if alone is None:
        alone = dict(zip((i for i, _ in items), render_many([t for _, t in items]), strict=True))
    texts = dict(items)
    groups, current, size = [], [], 0
    for index, text in items:
        if current and size + len(text) > budget:
            groups.append(current)
            current, size = [], 0
        current.append(index)
        size += len(text) + len(separator)
    if current:
        groups.append(current)
    done: list[list[int]] = []
    while groups:
        stored = render_many([separator.join(texts[i] for i in g) for g in groups])
        retry = []
        for group, result in zip(groups, stored, strict=True):
            if len(group) == 1 or same_html(result, "".join(alone[i] for i in group)):
                done.append(group)
            else:
                half = len(group) // 2
                retry += [group[:half], group[half:]]
        groups = retry
    return done, alone


# --- set-up ---------------------------------------------------------------------------------
def setup(*, username: str, password: str) -> dict:
    """A section, an article to hold the thread, the demo campaign, and a moderator."""
    import io

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from newsdesk.demo import funding as demo_funding
    from newsdesk.demo import site as demo_site
    from newsdesk.funding.models import Campaign
    from tests.support import factories

    demo_site.load(stdout=io.StringIO())
    demo_funding.load(stdout=io.StringIO())
    section = factories.make_section("Payloads")
    article = factories.make_article(section=section, title="A thread of hostile strings")
    user = get_user_model().objects.create_user(username, f"{username}@example.org", password)
    user.groups.add(Group.objects.get(name="Moderators"))
    return {
        "article_id": article.pk,
        "article_url": article.url,
        "section_id": section.pk,
        "section_url": section.url,
        "campaign_id": Campaign.objects.get().pk,
    }


# --- comments -------------------------------------------------------------------------------
def _markdown_many(texts: list[str]) -> list[str]:
    from newsdesk.discussion.rendering import markdown_to_html

    return [markdown_to_html(text.replace("\r\n", "\n").strip()) for text in texts]


def comments_post(*, article_id: int, payloads: list[str], all_names: bool) -> dict:
    """Post every payload as a comment body and, where a name may be that long, as a
    guest's name, through ``comment_create``. Returns the comments and what each payload
    became."""
    from newsdesk.articles.models import ArticlePage
    from newsdesk.discussion import conf
    from newsdesk.discussion.errors import DiscussionError
    from newsdesk.discussion.readers import Reader, guest_key_new
    from newsdesk.discussion.services import CommentDraft, comment_create

    article = ArticlePage.objects.get(pk=article_id)
    bodies = [(i, p) for i, p in enumerate(payloads) if p.strip()]
    groups, _ = bundles_make(
        bodies, render_many=_markdown_many, separator="\n\n", budget=COMMENT_BODY_BUDGET
    )
    names: dict[str, int] = {}  # the name stored -> the payload shown under it
    shapes: set[str] = set()
    name_refused = {}
    for index, payload in enumerate(payloads):
        name = " ".join(payload.split())
        if not name or len(name) > conf.DISCUSSION_NAME_MAX_CHARS:
            name_refused[index] = "empty" if not name else "longer than a name may be"
            continue
        if name in names:
            continue
        if not all_names and text_shape(name) in shapes:
            continue
        shapes.add(text_shape(name))
        names[name] = index
    name_items = list(names.items())
    comments = []
    for number in range(max(len(groups), len(name_items))):
        group = groups[number] if number < len(groups) else [name_items[number][1]]
        name, name_of = (
            name_items[number] if number < len(name_items) else (f"Reader {number}", None)
        )
        body = "\n\n".join(payloads[i] for i in group)
        reader = Reader(
            guest_key=guest_key_new(),
            ip_address=f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}",
            user_agent="Mozilla/5.0 (payload test)",
        )
        draft = CommentDraft(body=body, guest_name=name, submitted_after=30.0)
        try:
            comment = comment_create(article=article, reader=reader, draft=draft)
        except DiscussionError as error:
            comments.append({"error": str(error), "bodies": group, "name_of": name_of})
            continue
        comments.append(
            {
                "id": comment.pk,
                "status": comment.status,
                "shadowed": comment.is_shadowed,
                "name": comment.guest_name,
                "name_of": name_of,
                "bodies": group,
            }
        )
    return {
        "comments": comments,
        "names_refused": name_refused,
        "distinct_names": sum(
            1 for p in payloads if 0 < len(" ".join(p.split())) <= conf.DISCUSSION_NAME_MAX_CHARS
        ),
    }


# --- the donor wall -------------------------------------------------------------------------
def donations_plan(*, payloads: list[str]) -> dict:
    """Each payload as a donor's name and as a message, through the donate form's fields
    and its cleaning (``DonateForm.clean``: ``plain_text_clean``); the provider's event is
    cleaned again when the ledger records it (``events._donor_fields``).

    Returns, for each distinct text the ledger would store, what the form hands on (to give)
    and the payloads that store it; and the payloads each field refuses (too long).
    """
    from django.core.exceptions import ValidationError

    from newsdesk.funding.forms import MESSAGE_MAX, DonateForm
    from newsdesk.funding.text import plain_text_clean

    fields = {"donor_name": 80, "message": MESSAGE_MAX}
    stored: dict[str, dict[str, list]] = {name: {} for name in fields}
    refused: dict[str, dict[int, str]] = {name: {} for name in fields}
    for index, payload in enumerate(payloads):
        for name, limit in fields.items():
            try:
                value = DonateForm.base_fields[name].clean(payload)
            except ValidationError as error:
                refused[name][index] = "; ".join(error.messages)
                continue
            handed_on = plain_text_clean(value, max_length=limit)
            kept = plain_text_clean(handed_on, max_length=limit)
            stored[name].setdefault(kept, [handed_on, []])[1].append(index)
    return {
        "names": [[kept, given, ids] for kept, (given, ids) in stored["donor_name"].items()],
        "messages": [[kept, given, ids] for kept, (given, ids) in stored["message"].items()],
        "refused": refused,
    }


def donations_give(*, campaign_id: int, pairs: list[list]) -> list[int]:
    """Give one demo-provider gift per (name, message), as the demo checkout does; an
    empty name is given as "A donor", since the wall shows only named gifts."""
    from newsdesk.funding.models import Donation
    from newsdesk.funding.services.checkout import GiftRequest, demo_checkout_complete

    ids = []
    for name, message in pairs:
        gift = GiftRequest(
            campaign_id=campaign_id,
            amount=Decimal("10"),
            currency="USD",
            monthly=False,
            # No address: no receipt to send, so the worker stays out of the way.
            email="",
            donor_name=name or "A donor",
            message=message,
            attempt_key=uuid.uuid4().hex,
        )
        demo_checkout_complete(gift=gift)
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"newsdesk-demo:{gift.attempt_key}").hex
        ids.append(Donation.objects.get(payment_intent_id=f"pi_demo_{key}").pk)
    return ids


# --- partner feeds --------------------------------------------------------------------------
def _atom(entries: list[dict]) -> str:
    out = [
        # The base is the partner's, wherever the feed is served from: relative links in
        # the payloads resolve the same when planned and when imported.
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{PARTNER}/">',
        "<title>Partner wire</title><id>urn:uuid:partner-wire</id>",
        "<updated>2026-01-01T00:00:00Z</updated>",
    ]
    for e in entries:
        out.append(
            f"<entry><id>{xml_escape(e['id'])}</id>"
            f'<title type="html">{xml_escape(e.get("title", ""))}</title>'
            f"<link href={quoteattr(e.get('link', e['id']))}/>"
            "<updated>2026-01-01T00:00:00Z</updated>"
            + "".join(
                f"<author><name>{xml_escape(a)}</name></author>" for a in e.get("authors", ())
            )
            + f'<summary type="html">{xml_escape(e.get("summary", ""))}</summary>'
            f'<content type="html">{xml_escape(e.get("content", ""))}</content></entry>'
        )
    out.append("</feed>")
    return "".join(out)


def _parse(entries: list[dict]):
    from newsdesk.syndication.parsing import feed_parse

    body = _atom(entries).encode()
    return feed_parse(body=body, url=PARTNER + "/feed.atom", content_type="application/atom+xml")


def _feed_bodies_of(items) -> list[str]:
    from newsdesk.syndication import content

    return [
        content.body_html(item, full_text=True, outlet_name="Partner", original_url=item.link)
        for item in items
    ]


def _feed_bodies(texts: list[str]) -> list[str]:
    entries = [{"id": f"{PARTNER}/probe/{n}", "content": t} for n, t in enumerate(texts)]
    return _feed_bodies_of(_parse(entries).items)


def _distinct(pairs, *, shape: bool = False) -> list[int]:
    """The first payload index of each distinct stored value (or shape of plain text)."""
    seen: dict[object, int] = {}
    for index, value in pairs:
        if value:
            seen.setdefault(text_shape(value) if shape else value, index)
    return list(seen.values())


def feed_plan(*, payloads: list[str]) -> dict:
    """A partner's Atom feed carrying every payload as content, title, summary, author and
    link. One probe parse (the poller's own parser and content functions) tells what each
    payload would store; content is bundled by distinct stored HTML as in ``bundles_make``;
    titles, summaries and bylines are plain text, so one payload per shape of what they
    store is carried; links with a scheme of their own come first."""
    from newsdesk.syndication import content

    usable = [(i, p) for i, p in enumerate(payloads) if not _NOT_XML.search(p)]
    not_xml = [i for i, p in enumerate(payloads) if _NOT_XML.search(p)]
    probe = [
        {
            "id": f"{PARTNER}/probe/{i}",
            "title": p,
            "summary": p,
            "authors": [p],
            "link": p,
            "content": p,
        }
        for i, p in usable
    ]
    items = _parse(probe).items
    indexed = list(zip((i for i, _ in usable), items, strict=True))
    item_of = dict(indexed)
    alone = dict(zip((i for i, _ in usable), _feed_bodies_of(items), strict=True))
    representatives = _distinct((i, alone[i]) for i, _ in indexed)
    groups, _ = bundles_make(
        [(i, payloads[i]) for i in representatives],
        render_many=_feed_bodies,
        separator="\n",
        budget=FEED_BODY_BUDGET,
        alone=alone,
    )
    titles = _distinct(((i, item.title) for i, item in indexed if item.title), shape=True)
    summaries = _distinct(
        ((i, content.text_of(item.summary_html)) for i, item in indexed), shape=True
    )
    authors = _distinct(((i, " ".join(item.authors)) for i, item in indexed), shape=True)
    own_scheme = [i for i, item in indexed if not item.link.startswith(PARTNER + "/")]
    count = max(len(groups), len(titles), len(summaries), -(-len(authors) // AUTHORS_PER_ENTRY))
    # A link whose host no address validator accepts fails its story (the syndication
    # tests rely on that): such links travel alone, on stories of their own. Two links
    # that normalize alike would make one story of two: each address is used once.
    normalized = {i: content.original_url_normalize(item.link) for i, item in indexed}
    broken = [i for i in own_scheme if normalized[i] and not content.url_is_valid(normalized[i])]
    links, used = [], set()
    for i in own_scheme + [i for i, _ in indexed if i not in set(own_scheme)]:
        if i in broken or (normalized[i] and normalized[i] in used):
            continue
        used.add(normalized[i])
        links.append(i)
        if len(links) == count:
            break
    entries, plan = [], []
    for n in range(count):
        entry = {"id": f"{PARTNER}/story/{n}", "content": "<p>A partner story.</p>"}
        record = {"n": n, "content": [], "title": None, "summary": None, "link": links[n]}
        if n < len(groups):
            entry["content"] = "\n".join(payloads[i] for i in groups[n])
            record["content"] = groups[n]
        entry["title"] = payloads[titles[n]] if n < len(titles) else f"Partner story {n}"
        record["title"] = titles[n] if n < len(titles) else None
        if n < len(summaries):
            entry["summary"] = payloads[summaries[n]]
            record["summary"] = summaries[n]
        record["authors"] = authors[n * AUTHORS_PER_ENTRY : (n + 1) * AUTHORS_PER_ENTRY]
        entry["authors"] = [payloads[i] for i in record["authors"]]
        entry["link"] = payloads[links[n]]
        entries.append(entry)
        plan.append(record)
    for n, index in enumerate(broken, start=count):
        entries.append(
            {"id": f"{PARTNER}/story/{n}", "title": f"Story {n}", "link": payloads[index]}
        )
        plan.append(
            {
                "n": n,
                "content": [],
                "title": None,
                "summary": None,
                "link": index,
                "authors": [],
                "broken_link": True,
            }
        )
    # What the poller will read: the headline and byline each article must show.
    for record, item in zip(plan, _parse(entries).items, strict=True):
        record["title_text"] = content.article_title(item, outlet_name="Partner")
        record["author_texts"] = list(item.authors)
        kept = [i for i in record["authors"] if " ".join(item_of[i].authors) in item.authors]
        record["authors_dropped"] = [i for i in record["authors"] if i not in kept]
        record["authors"] = kept
    return {
        "atom": _atom(entries),
        "entries": plan,
        "not_xml": not_xml,
        "broken_links": broken,
        "distinct": {
            "content": len(representatives),
            "content_entries": len(groups),
            "titles": len(titles),
            "summaries": len(summaries),
            "authors": len(authors),
            "links_with_own_scheme": len(own_scheme),
            "links_with_a_broken_host": len(broken),
        },
    }


def feed_import(*, feed_url: str, section_id: int) -> dict:
    """Add the partner's feed as a source publishing at once, and poll it now."""
    import time

    from newsdesk.articles.models import Outlet, SectionPage
    from newsdesk.syndication.models import Entry, PollMode
    from newsdesk.syndication.services import source_create, source_poll

    outlet = Outlet.objects.create(name="Partner wire", site_url=PARTNER + "/")
    source = source_create(
        outlet=outlet,
        feed_url=feed_url,
        section=SectionPage.objects.get(pk=section_id),
        mode=PollMode.PUBLISH,
    )
    report = source_poll(source_id=source.pk)
    while report is None:  # the worker took the poll first: wait for it to finish
        time.sleep(0.5)
        source.refresh_from_db()
        if source.poll_started_at is None:
            break
    entries = Entry.objects.filter(source=source).select_related("article")
    return {
        "summary": report.summary() if report else "polled by the worker",
        "failed": list(report.failed) if report else [],
        "error": report.error if report else "",
        "articles": {
            e.guid.rsplit("/", 1)[-1]: {"url": e.article.url, "id": e.article_id}
            for e in entries
            if e.article is not None
        },
    }


# --- the driver loop ------------------------------------------------------------------------
CALLS = {
    "setup": setup,
    "comments_post": comments_post,
    "donations_plan": donations_plan,
    "donations_give": donations_give,
    "feed_plan": feed_plan,
    "feed_import": feed_import,
}


def driver_main() -> None:
    """Answer one JSON call per line of stdin with one marked JSON line on stdout."""
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = {"result": CALLS[request["call"]](**request.get("kwargs", {}))}
        except Exception:
            answer = {"error": traceback.format_exc()}
        sys.stdout.write(REPLY_MARK + json.dumps(answer) + "\n")
        sys.stdout.flush()
