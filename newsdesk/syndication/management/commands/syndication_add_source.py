"""Add a partner feed: ``syndication_add_source --outlet NAME --url URL --mode draft|publish``."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from newsdesk.articles.models import Outlet, SectionPage
from newsdesk.syndication.models import ContentMode, PollMode
from newsdesk.syndication.services import source_create


class Command(BaseCommand):
    help = "Add a partner feed to poll. Creates the outlet if no outlet has that name."

    def add_arguments(self, parser):
        parser.add_argument("--outlet", required=True, help="The partner outlet's name.")
        parser.add_argument("--url", required=True, help="The feed's address (http or https).")
        parser.add_argument("--mode", required=True, choices=PollMode.values)
        parser.add_argument("--section", help="Slug of the section for its articles.")
        parser.add_argument("--tags", default="", help="Tags for every article, a,b,c.")
        parser.add_argument("--interval", type=int, default=60, help="Minutes between polls.")
        parser.add_argument("--content", choices=ContentMode.values, default=ContentMode.FULL)
        parser.add_argument("--download-images", action="store_true")
        parser.add_argument("--name", default="", help="A label for the feed.")

    def handle(self, *args, **options):
        section = self._section(options["section"])
        outlet = Outlet.objects.filter(name__iexact=options["outlet"].strip()).first()
        created_outlet = outlet is None
        if outlet is None:
            parts = urlsplit(options["url"])
            if parts.scheme not in {"http", "https"} or not parts.netloc:
                raise CommandError(f"Not an http or https address: {options['url']}")
            outlet = Outlet(
                name=options["outlet"].strip(), site_url=f"{parts.scheme}://{parts.netloc}/"
            )
        try:
            # The new outlet and the source are written together, or neither.
            with transaction.atomic():
                if created_outlet:
                    outlet.full_clean()
                    outlet.save()
                source = source_create(
                    outlet=outlet,
                    feed_url=options["url"],
                    section=section,
                    mode=options["mode"],
                    content=options["content"],
                    tags=options["tags"].split(","),
                    interval_minutes=options["interval"],
                    download_images=options["download_images"],
                    name=options["name"],
                )
        except ValidationError as error:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            raise CommandError(f"The source was not added: {messages}") from error
        if created_outlet:
            self.stdout.write(
                f"Created outlet {outlet.name} ({outlet.site_url}), search-engine policy "
                f"{outlet.search_engine_policy}; review it in the admin."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Added source #{source.pk}: {source} <{source.feed_url}>, {source.mode}, "
                f"every {source.poll_interval_minutes} min, into {section.title}."
            )
        )

    def _section(self, slug: str | None) -> SectionPage:
        sections = SectionPage.objects.order_by("path")
        if slug:
            section = sections.filter(slug=slug).first()
            if section is None:
                known = ", ".join(sections.values_list("slug", flat=True)) or "none"
                raise CommandError(f"No section with slug {slug!r} (sections: {known}).")
            return section
        section = sections.first()
        if section is None:
            raise CommandError("There is no section yet; create one in the admin first.")
        return section
