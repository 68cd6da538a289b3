"""The demo's own pages, linked from every page's footer: About, Contact, Privacy, Corrections
and Moderation policy (web's ``InfoPage``, children of the front page).

Idempotent like the rest of the demo: a page is found again by its slug under the front page
and only a missing one is created, so an editor's changes survive a rerun.
"""

from dataclasses import dataclass

from django.db import transaction
from wagtail.models import Site

from newsdesk.web.models import InfoPage


@dataclass(frozen=True)
class InfoSpec:
    slug: str
    title: str
    body: str


PAGES: tuple[InfoSpec, ...] = (
    InfoSpec(
        slug="about",
        title="About us",
        body=(
            "<p>The Lantern is a small newsroom that covers the river valley: its towns, its "
            "water, its councils and the people who keep them honest. We have no owner to "
            "please and no advertisers to soothe.</p>"
            "<h2>Who pays for it</h2>"
            "<p>Our readers do. Every story is free to read; the gifts of those who can "
            "afford one keep it that way. We publish what each campaign raised and what it "
            "paid for.</p>"
            "<h2>How we work</h2>"
            "<p>We name our sources wherever we safely can, we say when a story came from a "
            "partner outlet, and we correct our mistakes in the open.</p>"
        ),
    ),
    InfoSpec(
        slug="contact",
        title="Contact",
        body=(
            "<p>Tips, complaints and corrections reach the desk at "
            '<a href="mailto:desk@example.org">desk@example.org</a>. We read everything; we '
            "answer what we can within two working days.</p>"
            "<p>For anything that could put you at risk, ask for our secure contact details "
            "first and send nothing sensitive by ordinary e-mail.</p>"
            "<p>Questions about a gift or a monthly donation go to "
            '<a href="mailto:support@example.org">support@example.org</a>.</p>'
        ),
    ),
    InfoSpec(
        slug="privacy",
        title="Privacy",
        body=(
            "<p>We keep as little about you as we can. Reading the site sets no cookie and "
            "loads nothing from other companies: no trackers, no advertising, no share "
            "buttons that report your visit.</p>"
            "<h2>When you comment</h2>"
            "<p>We keep your comment, the name you chose and, for a short time, the address "
            "your comment came from, to deal with abuse; after that we keep only its "
            "network. A guest's e-mail address is used only for the reply e-mails they ask "
            "for.</p>"
            "<h2>Your account</h2>"
            "<p>Signed in, you can download everything we hold about you, or erase your "
            "account, from the Privacy page of your account.</p>"
        ),
    ),
    InfoSpec(
        slug="corrections",
        title="Corrections",
        body=(
            "<p>When we get something wrong we fix it and say so at the foot of the story, "
            "with the date and what changed. We do not quietly rewrite.</p>"
            "<p>A small slip (a misspelt name, a wrong day) is corrected at once; an error "
            "that changed the meaning of a story is corrected and noted at the top as "
            "well.</p>"
            "<p>Seen a mistake? Tell the desk through the Contact page and name the story.</p>"
        ),
    ),
    InfoSpec(
        slug="moderation-policy",
        title="Moderation policy",
        body=(
            "<p>The comments are for readers arguing in good faith. Disagree as hard as you "
            "like with ideas; leave people's worth out of it.</p>"
            "<h2>What we remove</h2>"
            "<ul><li>Attacks on people for who they are.</li><li>Threats, and wishing harm "
            "on anyone.</li><li>Spam, and links that sell something.</li><li>Other "
            "people's private details.</li></ul>"
            "<h2>How it works</h2>"
            "<p>Every comment is checked on its way in. Most appear at once; some wait for a "
            "moderator, and the site tells you why. Reports from readers put a comment in "
            "front of a moderator, who decides. Repeated abuse ends in a ban.</p>"
        ),
    ),
)


def load(*, stdout) -> None:
    home = Site.objects.get(is_default_site=True).root_page
    added = 0
    with transaction.atomic():
        existing = set(InfoPage.objects.child_of(home).values_list("slug", flat=True))
        for spec in PAGES:
            if spec.slug in existing:
                continue
            page = InfoPage(title=spec.title, slug=spec.slug, body=spec.body)
            home.add_child(instance=page)
            page.save_revision().publish()
            added += 1
    stdout.write(f"Footer pages: {added} added, {len(PAGES) - added} already there.")
