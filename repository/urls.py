"""Root URLs: the admin, sign-in, the favicon, robots.txt and the sitemap, and the repository app."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView, TemplateView

from eprints_app.sitemaps import SITEMAPS, sitemap_index

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    # Browsers ask for /favicon.ico whatever the page says; the icon itself is a static file.
    path(
        "favicon.ico", RedirectView.as_view(url=lazy(static, str)("eprints_app/favicon.ico"), permanent=True)
    ),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("", include("eprints_app.urls")),
]
