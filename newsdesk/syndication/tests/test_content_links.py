"""A partner's link with characters an address cannot hold still gives a usable address."""

from newsdesk.syndication.content import original_url_normalize, url_is_valid


def test_white_space_and_markup_in_a_path_are_percent_encoded():
    normalized = original_url_normalize('https://partner.example/<x onxxx=1 "a">')
    assert normalized == "https://partner.example/%3Cx%20onxxx=1%20%22a%22%3E"
    assert url_is_valid(normalized)


def test_a_link_the_article_field_refuses_is_told_apart():
    assert not url_is_valid("https://partner.example/a b")
    assert not url_is_valid("javascript:alert(1)")
    assert url_is_valid("https://partner.example/stories/1?id=2")
    assert original_url_normalize("javascript:alert(1)") == ""
