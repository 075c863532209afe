"""Public URL shapes follow EPrints' (eprints.md §4), so old links keep working."""

from django.urls import path, re_path, register_converter
from django.views.generic import TemplateView

from eprints_app.converters import EprintIdConverter, PositionConverter
from eprints_app.feeds import LatestAtom, LatestRss
from eprints_app.oai.views import endpoint as oai_endpoint
from eprints_app.views import (
    actions,
    browse,
    copy_requests,
    downloads,
    exports,
    items,
    latest,
    legacy,
    signposting,
    workflow,
)
from eprints_app.views import search as search_views
from eprints_app.views import stats as stats_views
from eprints_app.views import thumbnails as thumbnail_views

register_converter(EprintIdConverter, "eprintid")
register_converter(PositionConverter, "pos")

# EPrints' browse views whose old addresses eprints_app/views/legacy.py answers.
EPRINTS_VIEW = r"(?P<view>year|subjects|divisions|creators|types)"

urlpatterns = [
    path("", items.home, name="home"),
    path("about/", TemplateView.as_view(template_name="eprints_app/about.html"), name="about"),
    path("id/eprint/<eprintid:eprintid>/", items.item_page, name="item"),
    path("id/eprint/<eprintid:eprintid>/actions/", actions.actions, name="actions"),
    path("id/eprint/<eprintid:eprintid>/actions/move/<slug:target>/", actions.move, name="move"),
    path(
        "id/eprint/<eprintid:eprintid>/<pos:pos>/thumbnail/<slug:size>.webp",
        thumbnail_views.thumbnail,
        name="thumbnail",
    ),
    path("id/eprint/<eprintid:eprintid>/<pos:pos>/<str:filename>", downloads.download, name="download"),
    path("<eprintid:eprintid>", items.item_short),
    path("<eprintid:eprintid>/", items.item_short, name="item_short"),
    path("<eprintid:eprintid>/<pos:pos>/<str:filename>", downloads.download_short),
    # EPrints' other addresses (eprints_app/views/legacy.py): permanent redirects.
    path("id/eprint/<eprintid:eprintid>/<pos:pos>/", legacy.document_main_file),
    path("<eprintid:eprintid>/<pos:pos>/", legacy.document_main_file),
    path("id/document/<eprintid:docid>", legacy.document_uri, name="document_uri"),
    path("id/document/<eprintid:docid>/", legacy.document_uri),
    path("cgi/users/home", legacy.users_home, name="eprints_home"),
    path("cgi/search/archive/simple", legacy.search, {"form": "simple"}),
    path("cgi/search/archive/advanced", legacy.search, {"form": "advanced"}),
    path("cgi/export/eprint/<eprintid:eprintid>/<str:identifier>/", legacy.export),
    path("cgi/export/<eprintid:eprintid>/<str:identifier>/", legacy.export),
    re_path(r"^cgi/exportview/" + EPRINTS_VIEW + r"/(?P<path>.+)$", legacy.export_view),
    re_path(r"^view/index\.html$", legacy.view_index),
    re_path(r"^view/" + EPRINTS_VIEW + r"/index\.html$", legacy.view_index),
    re_path(
        r"^view/" + EPRINTS_VIEW + r"/(?P<value>[^/]+?)\.(?P<variation>default|type|creators_name)\.html$",
        legacy.view_page,
    ),
    re_path(r"^view/" + EPRINTS_VIEW + r"/(?P<value>[^/]*=[^/]*)\.html$", legacy.view_page),
    re_path(
        r"^view/divisions/(?P<value>[^/]+)/(?:(?:index|[0-9]{4}|NULL)(?:\.[a-z_]+)?\.html)?$",
        legacy.division_year,
    ),
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
    path("cgi/oai2", oai_endpoint, name="oai"),
    path("oai", oai_endpoint),
    path("perl/oai2", oai_endpoint),  # EPrints 2's address, which harvesters still use
    path("id/eprint/<eprintid:eprintid>/linkset", signposting.item_linkset, name="linkset"),
    path("cgi/latest", latest.latest, name="latest"),
    path("cgi/latest_tool", latest.latest_tool),
    path("feeds/latest.atom", LatestAtom(), name="latest_atom"),
    path("feeds/latest.rss", LatestRss(), name="latest_rss"),
    # Browse (eprints.md §4): EPrints' .html addresses.
    path("view/", browse.index, name="browse"),
    path("view/year/", browse.year_index, name="browse_years"),
    re_path(r"^view/year/(?P<year>[0-9]{4}|NULL)\.html$", browse.year_page, name="browse_year"),
    re_path(r"^view/(?P<tree>subjects|divisions)/$", browse.tree_index, name="browse_tree"),
    # Any code has a page: one with a slash, stored by a script, too.
    re_path(r"^view/(?P<tree>subjects|divisions)/(?P<code>.+)\.html$", browse.tree_node, name="browse_node"),
    path("view/types/", browse.type_index, name="browse_types"),
    path("view/types/<str:item_type>.html", browse.type_page, name="browse_type"),
    path("view/creators/", browse.creator_index, name="browse_creators"),
    re_path(r"^view/creators/(?P<letter>[A-Z]|Other)\.html$", browse.creator_letter, name="browse_letter"),
    path("view/creators/<str:slug>.html", browse.creator_page, name="browse_creator"),
    # Usage statistics (IRStats2's /cgi/stats/, COUNTER R5).
    path("id/eprint/<eprintid:eprintid>/stats.json", stats_views.item_stats_json, name="item_stats_json"),
    path("cgi/stats/", stats_views.overview, name="stats"),
    path("cgi/stats/<slug:slug>.csv", stats_views.table_csv, name="stats_table"),
    re_path(
        r"^cgi/stats/counter/IR\.(?P<extension>tsv|csv)$", stats_views.item_report, name="stats_item_report"
    ),
    # Search (eprints.md §4, §8).
    path("cgi/search/simple", search_views.simple, name="search_simple"),
    path("cgi/search/advanced", search_views.advanced, name="search_advanced"),
]
