"""The moderators' activity screen end to end (issue 22, item 6), in Debian's chromium against
the served demo, at 1280 and 390 pixels: a moderator goes from the queue to Activity, sees
the charts (drawn, named), switches to weeks, opens a chart's table and reads there the
figure the database gives; the screen's own markup passes axe-core."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.support.axe import blocking, violations_text

from .test_browser_guest_bans import _moderator_signs_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _last_week_but_one(running_site) -> dict:
    """The figures of the week before this one, as the selector gives them (a past week:
    nothing the other tests do changes it)."""
    output = running_site.shell(
        "import json; from newsdesk.moderation.selectors_charts import activity_figures; "
        "p = activity_figures(period='week').periods[-2]; "
        "print(json.dumps({'automatic': p.automatic_total, 'human': p.human_total, "
        "'decided': p.held.count}))"
    )
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.parametrize("width", [1280, 390])
def test_a_moderator_reads_the_weekly_figures(browser, running_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        _moderator_signs_in(running_site, page)
        page.goto(running_site.url + "/admin/moderation/")
        page.locator("[data-role=activity-link]").click()
        page.wait_for_url("**/admin/moderation/activity/")

        # Days first: four charts, each an image with a name, bars drawn from the demo.
        charts = page.get_by_role("img", name="Automatic decisions per day")
        expect(charts).to_be_visible()
        assert page.locator("svg.activity-chart").count() == 4
        assert page.locator("#chart-automatic rect").count() > 0
        box = page.locator("#chart-automatic").bounding_box()
        assert box is not None and box["width"] <= width  # fits the screen, no sideways scroll

        page.get_by_role("link", name="Weeks").click()
        page.wait_for_url("**/activity/?period=week")
        expect(page.get_by_role("img", name="Automatic decisions per week")).to_be_visible()
        expect(page.get_by_role("link", name="Weeks")).to_have_attribute("aria-current", "page")

        expected = _last_week_but_one(running_site)
        figure = page.locator("[data-chart=automatic]")
        table = figure.locator("table")
        expect(table).to_be_hidden()
        figure.locator("summary").click()
        expect(table).to_be_visible()
        rows = table.locator("tbody tr")
        assert rows.count() == 12
        assert rows.nth(10).locator("td").last.inner_text() == str(expected["automatic"])
        assert expected["automatic"] > 0  # the demo's history reaches it
        held = page.locator("[data-chart=held]")
        held.locator("summary").click()
        decided = held.locator("tbody tr").nth(10).locator("td").first
        assert decided.inner_text() == str(expected["decided"])

        found = blocking(Axe().run(page, context=".moderation-activity").response["violations"])
        assert not found, violations_text(found, where=f"activity at {width}px")
    finally:
        context.close()
