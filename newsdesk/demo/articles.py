"""Demo articles (a first cut: one section and the lead story)."""

from newsdesk.articles.models import ArticlePage, HomePage, Outlet, SectionPage
from newsdesk.articles.services import article_create


def load(*, stdout) -> None:
    if ArticlePage.objects.exists():
        return
    home = HomePage.objects.get()
    section = SectionPage(title="World", show_in_menus=True, intro="News from abroad.")
    home.add_child(instance=section)
    section.save_revision().publish()
    outlet = Outlet.objects.create(name="Harbor Ledger", site_url="https://harborledger.example/")
    article_create(
        section=section,
        title="Border talks stall as river crossing stays shut",
        standfirst="Negotiators left without a date for the next round.",
        body=[("paragraph", "<p>The crossing has been closed for a month.</p>")],
        outlet=outlet,
        original_url="https://harborledger.example/2026/border-talks",
        tags=["border", "diplomacy"],
    )
