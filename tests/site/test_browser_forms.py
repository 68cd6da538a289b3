"""The site's forms use its one design system (web/css/site.css), at 1280 and 390 pixels:
the comment form, the donate page, sign-in and sign-up. Read from the computed styles and
boxes a real browser gives them, on the served demo."""

import json

import pytest

pytestmark = pytest.mark.browser

WIDTHS = [1280, 390]
ACCENT = "rgb(179, 38, 30)"  # --accent, #b3261e: white text on it is 6.1:1 (WCAG AA)
TOUCH = 44  # px: the smallest control a finger is asked to hit


def _lead_story_url(running_site) -> str:
    output = running_site.shell(
        "import json; from newsdesk.demo.discussion import lead_story_find; "
        "print(json.dumps(lead_story_find().url))"
    )
    return running_site.url + json.loads(output.strip().splitlines()[-1])


def _style(locator, prop: str) -> str:
    return locator.evaluate(f"e => getComputedStyle(e).getPropertyValue('{prop}')")


def _height(locator) -> float:
    return locator.bounding_box()["height"]


def _assert_primary_button(button) -> None:
    assert _style(button, "background-color") == ACCENT
    assert _style(button, "color") == "rgb(255, 255, 255)"
    assert _height(button) >= TOUCH


def _assert_controls_tall_enough(form) -> None:
    controls = form.locator(
        "input:is([type=text], [type=email], [type=password], [type=file], :not([type])):visible,"
        " textarea:visible, select:visible"
    )
    assert controls.count() > 0
    for index in range(controls.count()):
        control = controls.nth(index)
        name = control.get_attribute("name")
        assert _height(control) >= TOUCH, f"{name} is {_height(control)} px tall"
        if control.get_attribute("type") != "file":
            # A 3:1 border against the page (WCAG 1.4.11), not the browser's pale default.
            assert _style(control, "border-top-color") == "rgb(118, 118, 118)", name


def _assert_focus_ring(control) -> None:
    control.focus()
    assert _style(control, "outline-style") == "solid"
    assert _style(control, "outline-width") == "3px"


def _assert_fits(page, form, width: int) -> None:
    box = form.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def sized_page(request, page):
    page.set_viewport_size({"width": request.param, "height": 900})
    return page, request.param


def test_the_donate_page_has_choice_cards_with_a_preset_chosen(running_site, sized_page):
    page, width = sized_page
    page.goto(running_site.url + "/donate/")
    form = page.locator("main form.form")
    _assert_fits(page, form, width)
    _assert_primary_button(form.get_by_role("button", name="Continue to payment"))
    _assert_controls_tall_enough(form)
    _assert_focus_ring(form.get_by_label("E-mail for your receipt"))
    # One preset is chosen as the page opens, the amounts written for the site's language.
    assert form.locator("input[name=amount]:checked").count() == 1
    labels = form.locator(".donate__presets label.choice")
    assert labels.all_inner_texts() == ["$10", "$25", "$50", "$100"]
    for index in range(labels.count()):
        label = labels.nth(index)
        card, radio = label.bounding_box(), label.locator("input").bounding_box()
        # The label is one line tall and its radio sits inside it, on that line.
        assert TOUCH <= card["height"] < 1.6 * TOUCH, label.inner_text()
        right, bottom = card["x"] + card["width"], card["y"] + card["height"]
        assert card["x"] <= radio["x"] and radio["x"] + radio["width"] <= right
        assert card["y"] <= radio["y"] and radio["y"] + radio["height"] <= bottom
    # A chosen card is drawn as chosen; clicking its text chooses it.
    labels.last.locator("span").click()
    assert labels.last.locator("input").is_checked()
    assert _style(labels.last, "border-top-color") == ACCENT


def test_the_comment_form_and_votes_are_touch_sized(running_site, sized_page):
    page, width = sized_page
    page.goto(_lead_story_url(running_site))
    form = page.locator("#comment-form")
    assert "form" in form.get_attribute("class").split()
    _assert_fits(page, form, width)
    _assert_primary_button(form.get_by_role("button", name="Post comment"))
    _assert_controls_tall_enough(form)
    _assert_focus_ring(form.locator("textarea"))
    # The file picker's button is the site's, not the browser's grey one.
    picker = form.locator("input[type=file]")
    assert (
        picker.evaluate("e => getComputedStyle(e, '::file-selector-button').borderTopColor")
        == "rgb(27, 27, 27)"
    )
    for check in form.locator("label.check").all():
        assert _height(check) >= TOUCH
    votes = page.locator("form[data-js=vote] button")
    assert votes.count() > 0
    for button in votes.all()[:6]:
        box = button.bounding_box()
        assert box["height"] >= TOUCH and box["width"] >= TOUCH


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_sign_in_and_sign_up_are_in_the_site_layout(running_site, sized_page, path):
    page, width = sized_page
    page.goto(running_site.url + path)
    # The site's frame around allauth's form: masthead, main landmark, footer.
    assert page.locator("header.masthead").count() == 1 and page.locator("main#main").count() == 1
    form = page.locator("main form.form")
    assert form.count() == 1
    _assert_fits(page, form, width)
    _assert_primary_button(form.locator("button[type=submit]"))
    _assert_controls_tall_enough(form)
    _assert_focus_ring(form.locator("input:visible").first)
    # Every visible field has its label.
    for control in form.locator("input:visible").all():
        control_id = control.get_attribute("id")
        assert page.locator(f"label[for='{control_id}']").count() == 1, control_id
