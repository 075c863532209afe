"""Public URL shapes follow EPrints' (eprints.md §4), so old links keep working."""

from django.urls import path, register_converter
from django.views.generic import TemplateView

from eprints_app.converters import EprintIdConverter, PositionConverter
from eprints_app.views import actions, downloads, exports, items

register_converter(EprintIdConverter, "eprintid")
register_converter(PositionConverter, "pos")

urlpatterns = [
    path("", items.home, name="home"),
    path("about/", TemplateView.as_view(template_name="eprints_app/about.html"), name="about"),
    path("id/eprint/<eprintid:eprintid>/", items.item_page, name="item"),
    path("id/eprint/<eprintid:eprintid>/actions/", actions.actions, name="actions"),
    path("id/eprint/<eprintid:eprintid>/actions/move/<slug:target>/", actions.move, name="move"),
    path("id/eprint/<eprintid:eprintid>/<pos:pos>/<str:filename>", downloads.download, name="download"),
    path("<eprintid:eprintid>", items.item_short),
    path("<eprintid:eprintid>/", items.item_short, name="item_short"),
    path("<eprintid:eprintid>/<pos:pos>/<str:filename>", downloads.download_short),
    path("cgi/users/home", actions.eprints_home, name="eprints_home"),
    path(
        "cgi/export/eprint/<eprintid:eprintid>/<str:identifier>/<str:filename>",
        exports.export_item,
        name="export",
    ),
    path("cgi/export/<eprintid:eprintid>/<str:identifier>/<str:filename>", exports.export_item),
]
