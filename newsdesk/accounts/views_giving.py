"""The donor's giving page (placeholder until the giving part lands)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
@login_required
def giving(request):
    return HttpResponse("Your giving")
