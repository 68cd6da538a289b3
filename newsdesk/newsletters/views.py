"""The newsletters' public pages (placeholders; the subscription engineer replaces them)."""

from django.http import HttpResponse


def subscribe_view(request):
    return HttpResponse(status=501)


def confirm_view(request, token):
    return HttpResponse(status=501)


def preferences_view(request, token):
    return HttpResponse(status=501)


def unsubscribe_view(request, token, slug):
    return HttpResponse(status=501)
