"""Public URL shapes follow EPrints' (eprints.md §4), so old links keep working."""

from django.urls import path, register_converter
from django.views.generic import TemplateView

from eprints_app.converters import EprintIdConverter, PositionConverter
from eprints_app.views import actions, copy_requests, downloads, exports, items, workflow

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
        "id/eprint/<eprintid:eprintid>/<pos:pos>/request-copy/",
        copy_requests.request_copy,
        name="request_copy",
    ),
    path("cgi/request_doc", copy_requests.request_copy_by_docid),
    path("request-copy/<str:token>/", copy_requests.answer_request, name="copy_answer"),
    path("request-copy/<str:token>/download/", copy_requests.download_copy, name="copy_download"),
    path("cgi/users/items/", workflow.my_items, name="my_items"),
    path("cgi/users/review/", workflow.review, name="review"),
    path("id/eprint/<eprintid:eprintid>/actions/new-version/", workflow.make_new_version, name="new_version"),
    path(
        "id/eprint/<eprintid:eprintid>/actions/history/<int:history_id>/",
        workflow.item_revision,
        name="revision",
    ),
    path(
        "cgi/export/eprint/<eprintid:eprintid>/<str:identifier>/<str:filename>",
        exports.export_item,
        name="export",
    ),
    path("cgi/export/<eprintid:eprintid>/<str:identifier>/<str:filename>", exports.export_item),
]
