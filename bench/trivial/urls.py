"""Two views: "ok", and the same file the site's PDF download sends (BENCH_FILE), by
FileResponse: the floor for sending that many bytes through Django and gunicorn."""

import os

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import path


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def file(request: HttpRequest) -> FileResponse:
    return FileResponse(open(os.environ["BENCH_FILE"], "rb"), content_type="application/pdf")


urlpatterns = [path("", ok), path("file", file)]
