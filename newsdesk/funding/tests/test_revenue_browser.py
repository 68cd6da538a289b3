"""The reader-revenue dashboard end to end (issue 20, item 7), in Debian's chromium against the
served demo, at 1280 and 390 pixels: a treasurer opens it, sees the charts (drawn, named,
within the screen's width), switches to weeks, opens a chart's table and reads there the
figure the database gives, and downloads the CSV; the dashboard's markup passes axe-core."""

import csv
import io
import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.support.axe import blocking, violations_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]
USERNAME = "treasurer-revenue"
PASSWORD = "revenue-ledger-pass-1"


@pytest.fixture(scope="module")
def treasurer(running_site):
    running_site.shell(
        "from django.contrib.auth import get_user_model\n"
        "from django.contrib.auth.models import Group\n"
        "User = get_user_model()\n"
        f"user = User.objects.filter(username='{USERNAME}').first() or "
        f"User.objects.create_user('{USERNAME}', 'revenue@staff.example', '{PASSWORD}')\n"
        "user.groups.add(Group.objects.get(name='Treasurers'))\n"
    )
    return USERNAME


def _last_week_but_one(running_site) -> dict:
    """The figures of the week before this one, as the selector gives them (a past week:
    nothing the other tests do changes it)."""
    output = running_site.shell(
        "import json; from newsdesk.funding.selectors_revenue import revenue_figures; "
        "f = revenue_figures(period='week'); p = f.periods[-2]; "
        "print(json.dumps({'gifts': p.one_time + p.monthly, 'currency': f.currency, "
        "'money': str(p.money[f.currency].gifts)}))"
    )
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.parametrize("width", [1280, 390])
def test_a_treasurer_reads_the_weekly_figures_and_downloads_them(
    browser, running_site, treasurer, width
):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(running_site.url + "/admin/login/")
        page.get_by_label("Username").fill(treasurer)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(running_site.url + "/admin/")
        page.goto(running_site.url + "/admin/funding/revenue/")

        # Days first: every chart an image with a name, bars drawn from the demo's year.
        expect(page.get_by_role("img", name="Gifts per day")).to_be_visible()
        for name in ("Monthly recurring revenue in USD", "Churn of monthly gifts"):
            expect(page.get_by_role("img", name=name)).to_be_visible()
        assert page.locator("svg.activity-chart").count() >= 7
        for chart in ("gifts", "money-usd", "donors", "mrr-usd", "campaign", "pages"):
            assert page.locator(f"#chart-{chart} rect").count() > 0, chart
        box = page.locator("#chart-gifts").bounding_box()
        assert box is not None and box["width"] <= width  # fits the screen
        expect(page.locator("[data-role=as-of]")).to_contain_text("kept for 5 minutes")

        page.get_by_role("link", name="Weeks").click()
        page.wait_for_url("**/revenue/?period=week")
        expect(page.get_by_role("img", name="Gifts per week")).to_be_visible()
        expect(page.get_by_role("link", name="Weeks")).to_have_attribute("aria-current", "page")

        expected = _last_week_but_one(running_site)
        figure = page.locator("[data-chart=gifts]")
        table = figure.locator("table")
        expect(table).to_be_hidden()
        figure.locator("summary").click()
        expect(table).to_be_visible()
        rows = table.locator("tbody tr")
        assert rows.count() == 12
        assert rows.nth(10).locator("td").last.inner_text() == str(expected["gifts"])
        assert expected["gifts"] > 0  # the demo's year reaches it
        pages = page.locator("[data-chart=pages]")
        pages.locator("summary").click()
        expect(pages.locator("tbody tr").first.get_by_role("link").first).to_be_visible()

        found = blocking(Axe().run(page, context=".reader-revenue").response["violations"])
        assert not found, violations_text(found, where=f"reader revenue at {width}px")

        with page.expect_download() as download_info:
            page.locator("[data-role=csv]").click()
        download = download_info.value
        assert download.suggested_filename.startswith("reader-revenue-week-")
        rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8"))))
        assert len(rows) == 12
        code = expected["currency"].lower()
        assert rows[10][f"{code}_gifts"] == expected["money"]
        assert (
            int(rows[10]["one_time_gifts"]) + int(rows[10]["monthly_charges"])
            == (expected["gifts"])
        )
        assert not errors, errors
    finally:
        context.close()
