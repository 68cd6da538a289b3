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


def test_a_form_sent_within_seconds_is_a_bot(score):
    fast = score(spam, "Nice article.", submitted_after=0.8)
    assert fast.score >= 0.9
    assert fast.severe
    assert "0.8 s" in fast.reason
    unhurried = score(spam, "Nice article.", submitted_after=conf.MIN_SECONDS_TO_SUBMIT + 20)
    assert unhurried.score < HOLD


def test_posting_faster_than_the_rate_limit_is_flooding(score):
    results = [
        score(spam, f"Comment number {i} on the budget.", ip_address="203.0.113.9")
        for i in range(conf.POSTING_RATE_LIMIT + 1)
    ]
    assert all(result.score < HOLD for result in results[:-1])
    assert results[-1].score >= HOLD
    assert "comments in" in results[-1].reason
    other_reader = score(spam, "Comment on the budget.", ip_address="198.51.100.7")
    assert other_reader.score < HOLD


def test_edits_do_not_count_against_the_posting_rate(score):
    for _ in range(conf.POSTING_RATE_LIMIT + 3):
        result = score(spam, "Edited comment.", ip_address="203.0.113.10", is_edit=True)
    assert result.score < HOLD
