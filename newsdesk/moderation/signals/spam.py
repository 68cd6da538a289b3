"""Spam: links and how dense they are, known spam domains, sales pitches without links,
repeated text, the honeypot field, and how the comment was sent: the time taken to fill the
form and the posting rate, per reader and per network.

Each kind of evidence has a weight; independent kinds add up (noisy-or), so one link to a
news site is nothing, a link to a ".xyz" shop with "cheap" and "order now" is spam. A filled
honeypot (a field no reader sees) is a bot's and severe: trust does not excuse it.

Speed and rate are crude: a reader who types fast, pastes a prepared reply or argues in
earnest sends a comment within seconds or a sixth in ten minutes. They are evidence to weigh
with the rest, never severe: the result's ``content_score`` is the score without them, which
the policy uses for a signed-in reader in good standing unless the text itself carries some
spam evidence (``policy.py``). A guest, whom nothing vouches for, is held by them. The rate
is counted per reader (an account, or a guest's address) and, with a higher limit, per
network (IPv4 /24, IPv6 /64): a household or an office posts more than one reader does.
"""

import string
from collections import Counter
from functools import cache
from itertools import groupby
from urllib.parse import urlsplit

from newsdesk.core.clientaddr import address_group
from newsdesk.core.ratelimit import counter_hit
from newsdesk.discussion.networks import network_of
from newsdesk.moderation import conf, linear, terms
from newsdesk.moderation.signals.base import PreparedComment, SignalResult, clamp, noisy_or

NAME = "spam"
LABEL = "Spam"

HONEYPOT = 1.0
# Either alone reaches the hold score (0.6) of a commenter nothing vouches for; together with
# each other or any evidence in the text, more surely.
TOO_FAST = 0.65
FLOODING = 0.65
NETWORK_FLOODING = 0.4
DUPLICATE = 0.8
KNOWN_DOMAIN = 0.95
SPAM_TLD = 0.75
MANY_LINKS = 0.7
REPEATED_LINK = 0.8
DENSE_LINKS = 0.35
ONE_LINK = 0.1
HIDDEN_ADDRESS = 0.5
REPEATED_WORDS = 0.8
SHOUTING = 0.2

_COMMON_TLDS = "com|net|org|io|co|uk|de|fr|es|it|nl|eu|us|ca|au|gov|edu|me|tv|ly|gl|to|cc|app|dev"
_EMAIL = linear.Pattern(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}")
_SPELLED_ADDRESS = linear.Pattern(
    r"\b\w+ ?(?:@|\(at\)|\bat\b) ?\w+ ?(?:dot|\(dot\)) ?(?:com|net|org|ru)\b"
)
# "!!!", "???", "$$$", or an ASCII letter, digit or "_" six times running: Python's
# "([!?$])\1{2,}|(\w)\2{5,}" without the back-reference, on the text as written (capitals
# count); letters of other scripts are counted in Python.
_REPEATED_CHARACTERS = linear.compile(
    linear.runs("!?$", 3) + "|" + linear.runs(string.digits + "_" + string.ascii_letters, 6)
)
# Words as "[a-z0-9']+" finds them: every other byte of the UTF-8 text made a space, then
# split (no regex, linear).
_WORD_BYTES = bytes(
    code if chr(code) in "abcdefghijklmnopqrstuvwxyz0123456789'" else 0x20 for code in range(256)
)

# A character Python's "\w" does not match read as a space.
_NOT_WORD_AS_SPACE = linear.CharTable(
    lambda code: code if chr(code).isalnum() or code == ord("_") else 0x20
)


@cache
def _url_pattern() -> linear.Pattern:
    r"""Links: "http(s)://…", "www.…", or a bare domain with a known TLD (not inside an
    address or a longer name, so not after "@", a letter, digit, "_", "." or "-", and not
    before a letter, digit, "_" or "-"), with its path.

    Python's ``https?://…|www\.…|(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:TLDS)(?![\w-])(?:/…)?``:
    each alternative opens with the character before it, and the group is the link.
    """
    tlds = "|".join(terms.words("spam_tlds.txt"))
    path = r"[^\s<>\"')\]]"
    return linear.Pattern.contextual(
        rf"[\s\S](https?://{path}+|www\.{path}+)"
        rf"|[^@\w.-]((?:[a-z0-9-]+\.)+(?:{_COMMON_TLDS}|{tlds})(?:/{path}*)?)(?:[^\w-]|$)"
    )


def _host(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        url = "http://" + url
    return (urlsplit(url).hostname or "").removeprefix("www.")


def links_in(prepared: PreparedComment) -> list[str]:
    """The web addresses the comment links to (with or without a scheme; an e-mail address is
    not a link), found once per comment."""
    if "links" not in prepared.memo:
        prepared.memo["links"] = _url_pattern().findall(_EMAIL.sub(" ", prepared.folded))
    return prepared.memo["links"]


def _link_findings(prepared: PreparedComment) -> list[tuple[float, str]]:
    urls = links_in(prepared)
    findings = []
    if not urls:
        return findings
    hosts = [_host(url) for url in urls]
    known = sorted(
        {h for h in hosts if any(h == d or h.endswith("." + d) for d in terms.spam_domains())}
    )
    if known:
        findings.append(
            (KNOWN_DOMAIN, f"links to known spam or hidden destinations ({', '.join(known)})")
        )
    spam_tlds = terms.alternation("spam_tlds.txt")
    shady = sorted({h for h in hosts if spam_tlds.fullmatch(h.rsplit(".", 1)[-1])})
    if shady:
        findings.append((SPAM_TLD, f"links to domains spam favours ({', '.join(shady)})"))
    if len(urls) >= 3:
        findings.append((MANY_LINKS, f"{len(urls)} links"))
    if Counter(hosts).most_common(1)[0][1] >= 2:
        findings.append((REPEATED_LINK, "the same link repeated"))
    link_chars = sum(len(url) for url in urls)
    if len(urls) >= 2 and link_chars / max(1, len(prepared.folded)) > 0.35:
        findings.append((DENSE_LINKS, "mostly links"))
    findings.append((ONE_LINK, "contains a link"))
    return findings


def _text_findings(prepared: PreparedComment) -> list[tuple[float, str]]:
    text = prepared.matchable
    findings = [
        (entry.weight, entry.description)
        for entry, _ in terms.weighted_matches("spam_phrases.txt", text)
    ]
    if _SPELLED_ADDRESS.search(text):
        findings.append((HIDDEN_ADDRESS, "an address spelled out to dodge filters"))
    words = text.encode("utf-8").translate(_WORD_BYTES).split()
    if len(words) >= 6:
        most_common = Counter(words).most_common(1)[0][1]
        trigrams = Counter(zip(words, words[1:], words[2:], strict=False))
        repeated_phrase = trigrams and trigrams.most_common(1)[0][1] >= 3
        if most_common / len(words) >= 0.35 or repeated_phrase or _stutters(text):
            findings.append((REPEATED_WORDS, "the same words repeated over and over"))
    letters = list(filter(str.isalpha, prepared.text))
    shouting = len(letters) >= 20 and sum(map(str.isupper, letters)) / len(letters) > 0.6
    if shouting or _repeated_characters(prepared.text):
        findings.append((SHOUTING, "shouting or repeated characters"))
    return findings


def _stutters(text: str) -> bool:
    r"""One word three times running, whatever stands between ("buy buy, buy"): Python's
    ``\b(\w+)(?:\W+\1\b){2,}``, without the back-reference (words are the runs of
    ``\w``)."""
    words = text.translate(_NOT_WORD_AS_SPACE).split()
    return any(a == b == c for a, b, c in zip(words, words[1:], words[2:], strict=False))


def _repeated_characters(text: str) -> bool:
    """Three or more "!", "?" or "$" running, or one letter, digit or "_" six times."""
    if _REPEATED_CHARACTERS.search(text):
        return True
    if text.isascii():
        return False
    # A letter of another script: counted run by run (linear, in Python).
    return any(
        (char.isalnum() or char == "_") and not char.isascii() and sum(1 for _ in run) >= 6
        for char, run in groupby(text)
    )


def _posting_counts(prepared: PreparedComment) -> tuple[int, int]:
    """Count this comment against its author's and its network's recent posts (in the shared
    cache): ``(by the reader, by the network)``, 0 for what is unknown."""
    candidate = prepared.candidate
    if candidate.is_edit:
        return 0, 0
    ip = candidate.ip_address
    reader = (
        f"user:{candidate.author_user_id}"
        if candidate.author_user_id
        else (f"ip:{address_group(ip)}" if ip else "")
    )
    network = network_of(ip) if ip else ""
    window = conf.POSTING_RATE_WINDOW
    key = "moderation:posting-rate"
    by_reader = counter_hit(key=f"{key}:{reader}", timeout=window) if reader else 0
    by_network = counter_hit(key=f"{key}:net:{network}", timeout=window) if network else 0
    return by_reader, by_network


def _content_findings(prepared: PreparedComment) -> list[tuple[float, str]]:
    """What the comment itself shows of a bot or a spammer: the honeypot, the same text again."""
    from newsdesk.moderation.selectors import identical_recent_comments_count

    candidate = prepared.candidate
    findings = []
    if candidate.honeypot.strip():
        findings.append((HONEYPOT, "the hidden honeypot field was filled in (a bot)"))
    duplicates = identical_recent_comments_count(candidate=candidate)
    if duplicates >= 1:
        findings.append((DUPLICATE, f"the same text was posted {duplicates} time(s) recently"))
    return findings


def _sending_findings(prepared: PreparedComment) -> list[tuple[float, str]]:
    """How the comment was sent: how soon after the form was served, how often lately."""
    candidate = prepared.candidate
    findings = []
    if (
        candidate.submitted_after is not None
        and candidate.submitted_after < conf.MIN_SECONDS_TO_SUBMIT
    ):
        findings.append(
            (TOO_FAST, f"form sent {candidate.submitted_after:.1f} s after it was served")
        )
    by_reader, by_network = _posting_counts(prepared)
    minutes = conf.POSTING_RATE_WINDOW // 60
    if by_reader > conf.POSTING_RATE_LIMIT:
        findings.append(
            (FLOODING, f"more than {conf.POSTING_RATE_LIMIT} comments in {minutes} minutes")
        )
    if by_network > conf.NETWORK_POSTING_RATE_LIMIT:
        findings.append(
            (
                NETWORK_FLOODING,
                f"more than {conf.NETWORK_POSTING_RATE_LIMIT} comments in {minutes} minutes "
                "from one network",
            )
        )
    return findings


# Evidence that tells a reader where to go: without it, spam sells nothing.
_REACH_REASONS = frozenset(
    {
        "contact-me-on-a-messenger pitch",
        "asks readers to get in touch privately",
        "a phone number to call",
        "testimonial for a contact",
        "sales call to action",
        "self-promotion",
        "an address spelled out to dodge filters",
    }
)
# A long comment is discussion unless it points somewhere: it may describe a scam at length.
LONG_PROSE_WORDS = 120
LONG_PROSE_DAMPING = 0.6


def score(prepared: PreparedComment) -> SignalResult:
    content = _content_findings(prepared) if prepared.behaviour else []
    sending = _sending_findings(prepared) if prepared.behaviour else []
    links = _link_findings(prepared)
    text = _text_findings(prepared)
    reaches = bool(links) or any(reason in _REACH_REASONS for _, reason in text)
    # Whether the text tells a reader where to go (the combined signal weighs spam by it).
    prepared.memo["reach"] = reaches
    damping = 1.0
    if not (content or sending or reaches) and len(prepared.text.split()) >= LONG_PROSE_WORDS:
        damping = LONG_PROSE_DAMPING
    content_total = clamp(damping * noisy_or(weight for weight, _ in [*content, *links, *text]))
    findings = [*content, *sending, *links, *text]
    total = clamp(damping * noisy_or(weight for weight, _ in findings))
    reasons = [reason for weight, reason in findings if weight >= 0.2]
    bot = any(weight >= HONEYPOT for weight, _ in content)
    return SignalResult(
        NAME,
        total,
        "; ".join(reasons) or "no spam indicators",
        severe=bot,
        content_score=content_total if sending else None,
    )


def score_many(prepared: list[PreparedComment]) -> list[SignalResult]:
    return [score(item) for item in prepared]
