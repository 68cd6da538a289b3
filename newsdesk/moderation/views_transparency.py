"""The public transparency page (``/transparency/``): per month, how many comments the
comment gate and the moderators published, held, rejected and removed, by reason, and how
many appeals were made, upheld and reversed; with the community guidelines the reasons
cite. The same for every reader: shared by the page cache, its figures cached too."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from newsdesk.moderation.reasons import GUIDELINES
from newsdesk.moderation.selectors_appeals import transparency_figures


@require_GET
def transparency(request):
    return render(
        request,
        "moderation/transparency.html",
        {"months": transparency_figures(months=12), "guidelines": GUIDELINES},
    )
