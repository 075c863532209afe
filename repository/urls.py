"""Root URLs: the admin, sign-in, and the repository app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("eprints_app.urls")),
]
