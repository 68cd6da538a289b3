# ruff: noqa: RUF001 - typographic apostrophes and quotation marks are the house style
"""The lead story's reader discussion: a thread shaped like a real one, a little deeper.

Long factual comments and replies to replies (two readers answering each other four levels
down), a comment with a picture, short reactions, three comments moderation is there to
catch: an abusive one, a spam one, a hate-speech one (dehumanizing refugees, no slur) and one
that no term list knows (pseudo-scientific racism, held by the combined evidence of the
learned models), and a new guest's link, held by the trust levels (links from commenters not
yet trusted). Guests carry an e-mail address and an address besides their key, so they can
be banned by each; a reader's report puts a published comment in the queue's "Reported" tab.
Every comment goes through the discussion's services and so through the moderation gate, like a
reader's. The words are the project's own. Idempotent: each comment has a demo key.
"""

import contextlib
import io
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from newsdesk.articles.models import ArticlePage, HomePage
from newsdesk.discussion.errors import DiscussionError
from newsdesk.discussion.models import Comment
from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.discussion.services import CommentDraft, comment_create, comment_vote
from newsdesk.moderation.errors import ModerationError
from newsdesk.moderation.models import Report
from newsdesk.moderation.services import report_create

SOURCE = "demo"


@dataclass(frozen=True)
class DemoComment:
    key: str
    author: str  # a member's username, or a guest's name
    minutes: int  # after the article's publication
    body: str
    parent: str = ""
    member: bool = False
    picture: bool = False
    votes: int = 0


MEMBERS = {"hydro_kaska": "kaska@example.org", "lotte_v": "lotte@example.org"}

# What identifies each guest besides the key in their browser, as a real guest's comment
# stores it: the e-mail address they gave and the address they wrote from (documentation
# ranges, each guest in a network of their own, one IPv6), so a moderator can ban the
# demo's abusive guests by key, e-mail or network in `make demo`.
GUESTS = {
    "RiverPilot": ("riverpilot@example.net", "198.51.100.21"),
    "Marta from Aubrel": ("marta.aubrel@example.org", "192.0.2.34"),
    "old_ledger_reader": ("ledger.reader@example.com", "203.0.113.45"),
    "Sven Dahl": ("sven.dahl@example.org", "198.18.3.56"),
    "TruthHammer": ("truthhammer@example.net", "198.18.66.7"),
    "Best Deals 24": ("offers@cheap-deals-24.example", "198.19.24.24"),
    "ossel_patriot": ("ossel.patriot@example.com", "2001:db8:4:7::15"),
    "valley_realist": ("valley.realist@example.net", "198.18.90.12"),
    "Anya P.": ("anya.p@example.org", "192.0.2.201"),
    "Ilse Marren": ("ilse.marren@example.org", "203.0.113.178"),
}
# A reader's report of a published comment, so the queue's "Reported" tab has one: a
# guest's report weighs nothing, so the comment stays published and waits for review.
REPORTED = ("treaty-3", "off_topic", "Old news: the commission left in the nineties.")

THREAD: tuple[DemoComment, ...] = (
    DemoComment(
        "hydrology",
        "hydro_kaska",
        25,
        "People keep arguing about the treaty share as if the river were the same river it "
        "was fifty years ago. It is not. The basin’s own gauging records show the mean summer "
        "flow at the border bridge falling by roughly a quarter since the dam was filled, and "
        "the reservoir now loses more to evaporation in August than the whole eastern canal "
        "system draws in a week.\n\n"
        "So “three fifths downstream” of *what*? The treaty fixes a share, not a volume. A "
        "third of the gates’ capacity, as in the draft, would have been a volume: that is why "
        "it was worth initialling. Whoever walked away from it walked away from the first "
        "number in years that matched the water actually there.",
        member=True,
        votes=7,
    ),
    DemoComment(
        "barges",
        "RiverPilot",
        41,
        "I take grain barges through the lower lock. Nine days is right, and it is not only "
        "the level. Below about 2.4 m at the sill a loaded barge scrapes, so we lighten to "
        "two thirds and make three trips instead of two. That is why freight rates have "
        "doubled while the level only dropped a metre.\n\n"
        "The other thing nobody mentions is the queue itself. Barges waiting at the lock "
        "still pay crews and mooring, and perishable cargo (seed potatoes, fruit for the "
        "canneries) cannot wait nine days at all, so it goes by road, over the same border "
        "bridge the farmers say they will block.",
        parent="hydrology",
        votes=5,
    ),
    DemoComment(
        "barges-2",
        "hydro_kaska",
        58,
        "That matches the rating curve. A third of gate capacity would lift the bridge gauge "
        "by something like 40 to 60 cm within a few days, which by your numbers gets loaded "
        "barges back over the sill. Do you know if the lock keepers publish their daily sill "
        "readings? The ministry only posts weekly averages.",
        parent="barges",
        member=True,
        votes=2,
    ),
    DemoComment(
        "barges-3",
        "RiverPilot",
        73,
        "They post them on a board at the lock house and nowhere else. I photograph the board "
        "most mornings, so the series could sit next to the gauge if anyone wants to compare.",
        parent="barges-2",
        votes=2,
    ),
    DemoComment(
        "barges-4",
        "hydro_kaska",
        88,
        "Yes please. Two independent series that agree are worth more than any press release "
        "from either capital.",
        parent="barges-3",
        member=True,
    ),
    DemoComment(
        "aubrel",
        "Marta from Aubrel",
        64,
        "We live by the lake and nobody here had heard the talks got that close. Thank you "
        "for republishing this.",
        parent="hydrology",
    ),
    DemoComment(
        "picture",
        "old_ledger_reader",
        95,
        "Pictured below: the water marks on the third pier of the border bridge, as I drew "
        "them from the photos I take every spring. The top band is the level in the year "
        "the treaty was signed, the bottom one is last week.",
        picture=True,
        votes=4,
    ),
    DemoComment(
        "picture-2",
        "lotte_v",
        110,
        "The gap between the last two bands is the part people underestimate. The first "
        "decades of decline were slow; the last five summers account for almost half of it.",
        parent="picture",
        member=True,
    ),
    DemoComment(
        "treaty",
        "Sven Dahl",
        130,
        "A little history, since the article only touches on it. The treaty was drafted "
        "when the dam was a federal project, so it never had to say who runs the control "
        "room: federal engineers did. When the federation split, the dam ended up wholly on "
        "Dravenian soil but the treaty stayed as it was. Every crisis since then, and there "
        "have been three, has ended with a temporary joint commission that lapsed once the "
        "rain came back.\n\n"
        "That is the real story of the minutes. The key to the spillway door is the one "
        "question the treaty never answered, and this time nobody could postpone it.",
        votes=6,
    ),
    DemoComment(
        "treaty-2",
        "lotte_v",
        146,
        "The 1990s commission did have Solvaine engineers inside the dam, for about two "
        "years. It is in the commission’s final report, chapter four.",
        parent="treaty",
        member=True,
        votes=3,
    ),
    DemoComment(
        "treaty-3",
        "Sven Dahl",
        160,
        "You are right, I had forgotten that. Which makes Dravenia’s line about “foreign "
        "staff operating national infrastructure” harder to defend: it has happened before, "
        "and the dam is still standing.",
        parent="treaty-2",
        votes=1,
    ),
    DemoComment(
        "abuse",
        "TruthHammer",
        175,
        "You are all brainless idiots. Shut up, you pathetic morons, and the clown who wrote "
        "this garbage should be fired and never write again.",
        parent="treaty",
    ),
    DemoComment(
        "spam",
        "Best Deals 24",
        190,
        "EARN $500 A DAY FROM HOME!!! Cheap watches and pills, no prescription, huge "
        "discounts today only: https://cheap-deals-24.example/offer https://cheap-deals-24"
        ".example/pills https://cheap-deals-24.example/win CLICK NOW!!!",
    ),
    DemoComment(
        "hate",
        "ossel_patriot",
        205,
        "The real problem is the refugees pouring over the bridge from Solvaine. They are "
        "vermin, filthy subhuman parasites who breed like rats, and every last one of them "
        "should be driven back across the river.",
    ),
    # Hate that no term list knows (pseudo-science, no slur, no listed word): the combined
    # evidence of the learned models holds it.
    DemoComment(
        "pseudo-science",
        "valley_realist",
        212,
        "Solvainians have lower intelligence, it is measurable and genetic. No amount of "
        "schooling fixes that, so stop wasting our taxes on them.",
    ),
    DemoComment(
        "share",
        "Anya P.",
        220,
        "A small correction to some comments here: the draft says a third of the gates’ "
        "*capacity*, not a third of the river’s flow. With the reservoir this low, those are "
        "very different numbers.",
        votes=2,
    ),
    # A first-time guest's link: nothing wrong with it, but the trust levels hold links from
    # commenters who are not trusted yet, and say so to the moderator and to its author.
    DemoComment(
        "first-link",
        "Ilse Marren",
        235,
        "First time commenting. The basin authority keeps the gauge series for the border "
        "bridge here, if anyone wants to check the numbers: https://basin-gauges.example.org/"
        "border-bridge",
    ),
)


def lead_story_find() -> ArticlePage | None:
    """The front page's lead story, or the newest live article when none is chosen."""
    home = HomePage.objects.first()
    if home is not None and home.lead_article_id:
        lead = ArticlePage.objects.live().filter(pk=home.lead_article_id).first()
        if lead is not None:
            return lead
    return ArticlePage.objects.live().order_by("-first_published_at", "-pk").first()


def _picture() -> SimpleUploadedFile:
    """A drawing of the water marks on a bridge pier, made here with Pillow."""
    picture = Image.new("RGB", (900, 600), (214, 226, 232))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 430, 900, 600), fill=(92, 128, 150))  # the river today
    draw.rectangle((360, 40, 540, 600), fill=(168, 160, 148))  # the pier
    for top, shade, label in (
        (120, (96, 84, 70), "treaty year"),
        (220, (120, 106, 90), "20 years ago"),
        (330, (140, 126, 108), "5 summers ago"),
        (420, (160, 146, 126), "last week"),
    ):
        draw.rectangle((360, top, 540, top + 14), fill=shade)
        draw.line((540, top + 7, 600, top + 7), fill=(40, 40, 40), width=2)
        draw.text((610, top), label, fill=(20, 20, 20))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return SimpleUploadedFile("bridge-pier.png", buffer.getvalue(), "image/png")


def _readers() -> dict[str, Reader]:
    users = get_user_model().objects
    readers = {}
    for username, email in MEMBERS.items():
        user = users.filter(username=username).first()
        if user is None:
            user = users.create_user(username=username, email=email)
            user.set_unusable_password()
            user.save(update_fields=["password"])
        readers[username] = Reader(user=user)
    for spec in THREAD:
        if not spec.member and spec.author not in readers:
            # A random key (the guest's only credential), as a real guest gets: one derived
            # from the name would let anyone who reads this code act as the guest on any
            # demo site. Kept nowhere: nobody needs to act as a demo guest afterwards.
            address = GUESTS.get(spec.author, ("", ""))[1]
            readers[spec.author] = Reader(guest_key=guest_key_new(), ip_address=address)
    return readers


def load(*, stdout) -> None:
    article = lead_story_find()
    if article is None:
        stdout.write("Discussion: no article to attach the demo thread to.")
        return
    done = {c.source_id: c for c in Comment.objects.filter(source=SOURCE, thread__article=article)}
    if len(done) == len(THREAD):
        _report_load(done=done, stdout=stdout)
        return
    readers = _readers()
    published = article.first_published_at or timezone.now() - timedelta(hours=6)
    latest = timezone.now() - timedelta(minutes=5)
    created = 0
    # Random voters for the same reason as the guests; the same few vote on every comment.
    voters = [Reader(guest_key=guest_key_new()) for _ in range(max(s.votes for s in THREAD))]
    for spec in THREAD:
        if spec.key in done:
            continue
        parent = done.get(spec.parent) if spec.parent else None
        if spec.parent and parent is None:
            continue  # its parent was not stored (refused); leave the reply out too
        reader = readers[spec.author]
        try:
            comment = comment_create(
                article=article,
                reader=reader,
                draft=CommentDraft(
                    body=spec.body,
                    guest_name="" if spec.member else spec.author,
                    guest_email="" if spec.member else GUESTS.get(spec.author, ("", ""))[0],
                    parent_id=parent.pk if parent else None,
                    image=_picture() if spec.picture else None,
                ),
                created_at=min(published + timedelta(minutes=spec.minutes), latest),
                source=SOURCE,
                source_id=spec.key,
            )
        except DiscussionError as error:
            stdout.write(f"Discussion: demo comment {spec.key} refused: {error.message}")
            continue
        done[spec.key] = comment
        created += 1
        for voter in voters[: spec.votes]:
            if comment.is_public:
                with contextlib.suppress(DiscussionError):
                    comment_vote(comment_id=comment.pk, reader=voter, value=1)
    stdout.write(f"Discussion: {created} demo comments on “{article.title}”.")
    _report_load(done=done, stdout=stdout)


def _report_load(*, done: dict[str, Comment], stdout) -> None:
    """A reader's report of one published demo comment (once: not if it has one)."""
    key, reason, text = REPORTED
    comment = done.get(key)
    if comment is None or Report.objects.filter(comment=comment).exists():
        return
    reporter = Reader(guest_key=guest_key_new(), ip_address="192.0.2.77")
    try:
        report_create(comment_id=comment.pk, reader=reporter, reason=reason, text=text)
    except ModerationError as error:
        stdout.write(f"Discussion: the demo report was refused: {error.message}")
