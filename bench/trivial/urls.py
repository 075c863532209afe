"""One view, answering "ok"."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("", ok)]
