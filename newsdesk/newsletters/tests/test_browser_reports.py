"""The newsletters' import and reports in Debian's chromium against the served demo, at 1280
and 390 px: staff upload a Mailchimp export into the daily, read what became of each row,
open the list's report (its growth chart and the table of the same figures) and the demo's
past send."""

import json
import uuid

import pytest

pytestmark = pytest.mark.browser
PASSWORD = "a long newsletter pass 42"


def _staff(running_site) -> tuple[str, int]:
    username = f"chief-{uuid.uuid4().hex[:6]}"
    output = running_site.shell(
        "import json; from django.contrib.auth import get_user_model; "
        "from newsdesk.newsletters.models import Newsletter; "
        f"get_user_model().objects.create_superuser({username!r}, '{username}@example.org', "
        f"{PASSWORD!r}); "
        "print(json.dumps(Newsletter.objects.get(slug='daily').pk))"
    )
    return username, json.loads(output.strip().splitlines()[-1])


def _export(tag: str) -> bytes:
    header = (
        '"Email Address","First Name","Last Name",MEMBER_RATING,OPTIN_TIME,OPTIN_IP,'
        "CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,"
        "LAST_CHANGED,LEID,EUID,NOTES,TAGS"
    )
    rows = [
        f'ada.{tag}@example.org,Ada,Byron,2,"2025-03-14 09:12:31",,"2025-03-14 09:14:00",'
        ',,,,,,,,"2025-03-14 09:14:00",1,a,,',
        f'sam.{tag}@example.org,Sam,,2,,,"2025-04-02 17:38:27",,,,,,,,,"2025-04-02 17:38:27",2,b,,',
        f"nia.{tag}@example.org,Nia,,2,,,,,,,,,,,,,3,c,,",
    ]
    return ("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode()


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_import_an_export_and_read_the_lists_report(browser, running_site, width):
    username, daily_pk = _staff(running_site)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(running_site.url + "/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url("**/admin/")

        page.goto(running_site.url + "/admin/newsletters/reports/")
        page.get_by_role("link", name="Import subscribers").click()
        page.wait_for_url("**/admin/newsletters/import/")
        page.get_by_label("Into the list").select_option(str(daily_pk))
        tag = uuid.uuid4().hex[:8]
        page.get_by_label("CSV file").set_input_files(
            {
                "name": "subscribed_members_export_demo.csv",
                "mimeType": "text/csv",
                "buffer": _export(tag),
            }
        )
        page.get_by_role("button", name="Import").click()
        page.locator("[data-role=import-result]").wait_for()
        assert page.locator("[data-role=imported]").inner_text() == "2"
        assert page.locator("[data-role=already]").inner_text() == "0"
        assert page.locator("[data-role=refused]").inner_text() == "1"
        refused = page.locator("[data-table=refused] tbody tr")
        assert refused.count() == 1
        assert f"nia.{tag}@example.org" in refused.first.inner_text()
        assert "no record of consent" in refused.first.inner_text()

        # The list's report: the chart, and the table of the same figures beside it.
        page.get_by_role("link", name="the list's report").click()
        page.wait_for_url(f"**/admin/newsletters/reports/lists/{daily_pk}/")
        chart = page.locator("svg#chart-growth")
        chart.wait_for()
        assert page.get_by_role("img", name="subscribed and unsubscribed readers per week").count()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 0 and box["x"] + box["width"] <= width
        assert page.locator("[data-table=growth] tbody tr").count() == 26
        # The demo's half year of sign-ups (the imported readers confirmed before it).
        assert int(page.locator("[data-role=joined]").inner_text()) > 0

        # The demo's past send of the daily, from the reports' index.
        page.goto(running_site.url + "/admin/newsletters/reports/")
        page.locator("[data-table=sends] tbody tr th a").first.click()
        page.wait_for_url("**/admin/newsletters/reports/sends/*/")
        figures = page.locator("[data-table=send-figures]")
        assert "Handed over" in figures.inner_text()
        assert "Unsubscribed after this send" in figures.inner_text()
        assert errors == []
    finally:
        context.close()
