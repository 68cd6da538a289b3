"""Spam: links, known domains, pitches without links, repetition, rate, honeypot, speed."""

import pytest

from newsdesk.moderation import conf
from newsdesk.moderation.signals import spam

HOLD = 0.5


@pytest.mark.parametrize(
    "body",
    [
        "My aunt now earns $640 a day from home. Message her on WhatsApp to learn how.",
        "Invest in bitcoin with my account manager and get guaranteed profit every week.",
        "Lost money to a scam? A recovery expert got back my stolen funds, contact him on "
        "Telegram.",
        "Cheap Ozempic without prescription, order now, discreet delivery.",
        "Add me on Snapchat, lonely and looking for a generous gentleman.",
    ],
)
def test_spam_without_links_is_caught(score, body):
    result = score(spam, body)
    assert result.score >= HOLD
    assert "link" not in result.reason


def test_links_to_spam_domains_and_spammy_tlds_are_caught(score):
    assert score(spam, "Look at this: https://bit.ly/3abcd").score >= 0.9
    assert score(spam, "Great post, see my site winner-deals.xyz/today").score >= HOLD
    many = "http://a.example/1 http://a.example/2 http://a.example/3 buy"
    assert score(spam, many).score >= HOLD


def test_a_link_to_a_source_is_not_spam(score):
    result = score(spam, "The ruling is here: https://www.courtsofjustice.example/ruling/2291")
    assert result.score < HOLD


@pytest.mark.parametrize(
    "body",
    [
        "Buy now buy now buy now buy now buy now buy now",
        "amazing amazing amazing offer for everyone reading",
    ],
)
def test_repeated_text_is_caught(score, body):
    assert score(spam, body).score >= HOLD


@pytest.mark.parametrize(
    "body",
    [
        "The crypto crash wiped out the savings of thousands of pensioners.",
        "The leaked WhatsApp messages show the minister knew in March.",
        "Do not click the links in those fake tax office texts.",
    ],
)
def test_news_about_scams_and_crypto_is_not_spam(score, body):
    assert score(spam, body).score < HOLD


def test_a_filled_honeypot_is_certain_and_severe(score):
    result = score(spam, "Nice article.", honeypot="http://seo.example")
    assert result.score == 1.0
    assert result.severe
    assert "honeypot" in result.reason


def test_a_form_sent_within_seconds_is_evidence_not_a_severe_finding(score):
    fast = score(spam, "Nice article.", submitted_after=0.8)
    assert fast.score >= spam.TOO_FAST
    assert not fast.severe, "a fast reader is not certainly a bot: trust may weigh it"
    assert "0.8 s" in fast.reason
    assert fast.content_score is not None and fast.content_score < HOLD, "the text earns nothing"
    unhurried = score(spam, "Nice article.", submitted_after=conf.MIN_SECONDS_TO_SUBMIT + 20)
    assert unhurried.score < HOLD
    assert unhurried.content_score is None, "nothing about its sending to set apart"


def test_posting_faster_than_the_rate_limit_is_flooding(score):
    results = [
        score(spam, f"Comment number {i} on the budget.", ip_address="203.0.113.9")
        for i in range(conf.POSTING_RATE_LIMIT + 1)
    ]
    assert all(result.score < HOLD for result in results[:-1])
    assert results[-1].score >= HOLD
    assert not results[-1].severe
    assert "comments in" in results[-1].reason
    other_reader = score(spam, "Comment on the budget.", ip_address="198.51.100.7")
    assert other_reader.score < HOLD


def test_readers_of_one_network_are_counted_apart_and_the_network_with_a_higher_limit(score):
    # Twenty readers of one office network, one comment each: no reader floods and the
    # network is within its limit; the next reader's comment takes the network past it.
    limit = conf.NETWORK_POSTING_RATE_LIMIT
    for n in range(limit):
        result = score(spam, f"Comment {n} on the budget.", ip_address=f"192.0.2.{n + 1}")
        assert result.score < HOLD, (n, result.reason)
    over = score(spam, "One more on the budget.", ip_address="192.0.2.200")
    assert "from one network" in over.reason
    assert spam.NETWORK_FLOODING <= over.score < HOLD, "a busy network alone holds nobody"
    elsewhere = score(spam, "Comment on the budget.", ip_address="198.51.100.8")
    assert "network" not in elsewhere.reason


def test_an_accounts_rate_is_its_own_whatever_its_address(score):
    for i in range(conf.POSTING_RATE_LIMIT):
        score(spam, f"Comment {i}.", ip_address=f"203.0.113.{i + 20}", author_user_id=7)
    sixth = score(spam, "Comment six.", ip_address="198.51.100.50", author_user_id=7)
    assert "more than" in sixth.reason and sixth.score >= HOLD


def test_edits_do_not_count_against_the_posting_rate(score):
    for _ in range(conf.POSTING_RATE_LIMIT + 3):
        result = score(spam, "Edited comment.", ip_address="203.0.113.10", is_edit=True)
    assert result.score < HOLD
