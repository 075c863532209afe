"""EPrints' other addresses (eprints.md §4), so that links into a repository moved from EPrints
keep working: each answers with a permanent redirect to the page that now has what it had.

- ``/id/document/N``: EPrints' document URI; N is the document's ID, which an import keeps as
  the Document's primary key (``/cgi/request_doc?docid=N`` reads it the same way).
- ``/id/eprint/N/POS/`` and ``/N/POS/``: a document without its file name, that is, its file.
- ``/cgi/export/eprint/N/Format/`` and ``/cgi/export/N/Format/`` (EPrints 3.0–3.2) without a
  file name: the export URL with EPrints' file name (with one, both are answered as they are).
- ``/view/...``: values as EPrints writes them in file names (``escape_filename``: ``=XX`` for a
  character that is not a letter, digit, comma or hyphen, ``_`` for a space), creators named
  ``Family:Given:Lineage:Honourific``, the groupings of a list as their own pages
  (``2021.type.html``), and ``index.html`` pages.
- ``/cgi/exportview/VIEW/VALUE.../Format/file``: a browse list's export.
- ``/cgi/users/home?screen=...``: EPrints' screens, the record's among them.
- ``/cgi/search/archive/simple`` and ``/advanced``: EPrints 3.3's search addresses.

Anything that names nothing here is a 404.
"""

import re
import unicodedata
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from eprints_app.access import can_download
from eprints_app.browse import people, trees
from eprints_app.enums import CreatorRole, ItemType
from eprints_app.exports import get_format
from eprints_app.models import Creator, Document, Item
from eprints_app.views import browse
from eprints_app.views.downloads import find_document

# EPrints' escape_filename: "==XXXX" for a character beyond Latin-1, "=XX" for any other.
ESCAPED = re.compile(r"==([0-9A-Fa-f]{4})|=([0-9A-Fa-f]{2})")
# A list's groupings ("variations"), each on a page of its own in EPrints, and ours.
VARIATIONS = {"default": "none", "type": "type", "creators_name": "initial"}
# EPrints' screens of /cgi/users/home that show one record: here, the actions view.
RECORD_SCREENS = frozenset(
    f"EPrint::{screen}" for screen in ("View", "Summary", "Details", "Edit", "History", "Messages")
)
# EPrints' screens of one's own items and of the review queue.
LIST_SCREENS = {"Items": "my_items", "Review": "review"}
# EPrints' URL views (/view/<id>/) and ours.
VIEWS = frozenset({"year", "subjects", "divisions", "creators", "types"})


def unescape_value(escaped: str) -> str:
    """A value from EPrints' escaped file name: "Eve=3AMartin_Paul=3A=3A" -> "Eve:Martin Paul::".

    A value with a control character or half a surrogate pair in it names nothing (404).
    """
    value = ESCAPED.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), escaped.replace("_", " "))
    if any(unicodedata.category(character) in ("Cc", "Cs") for character in value):
        raise Http404("No such value.")
    return value


def permanent(url: str, params: dict[str, str] | None = None) -> HttpResponsePermanentRedirect:
    query = urlencode(params or {})
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def document_redirect(request: HttpRequest, document: Document) -> HttpResponse:
    """The document's download URL, to those who may download it: its file name is not told to
    anyone else (the download itself asks the same)."""
    if not can_download(request.user, document):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("You may not download this document.")
    return redirect(document.get_absolute_url(), permanent=True)


@require_safe
def document_uri(request: HttpRequest, docid: int) -> HttpResponse:
    """/id/document/N: EPrints' URI of a document."""
    document = get_object_or_404(Document.objects.select_related("item").defer("text"), pk=docid)
    return document_redirect(request, document)


@require_safe
def document_main_file(request: HttpRequest, eprintid: int, pos: int) -> HttpResponse:
    """/id/eprint/N/POS/ and /N/POS/: a document without a file name, meaning its file."""
    return document_redirect(request, find_document(eprintid, pos))


@require_safe
def export(request: HttpRequest, eprintid: int, identifier: str, filename: str = "") -> HttpResponse:
    """Older and shorter export URLs, to the export URL with EPrints' file name."""
    fmt = get_format(identifier)
    if fmt is None or not Item.objects.filter(pk=eprintid).exists():
        raise Http404("No such export.")
    return redirect(fmt.url(Item(pk=eprintid)), permanent=True)


@require_safe
def users_home(request: HttpRequest) -> HttpResponse:
    """EPrints' /cgi/users/home: a record's screens (``?screen=EPrint::View&eprintid=N``) lead
    to its actions view, the Items and Review screens to ours; no screen is one's own items."""
    screen = request.GET.get("screen", "Items")
    if screen in RECORD_SCREENS:
        return redirect("actions", parse_id(request.GET.get("eprintid", "")), permanent=True)
    if screen not in LIST_SCREENS:
        raise Http404("Unknown screen.")
    return redirect(LIST_SCREENS[screen], permanent=True)


def parse_id(raw: str) -> int:
    # isascii(): str.isdigit() is true of "²" too, which int() refuses.
    if not (raw.isascii() and raw.isdigit()) or raw.startswith("0") or len(raw) > 18:
        raise Http404("No such item.")
    return int(raw)


@require_safe
def search(request: HttpRequest, form: str) -> HttpResponse:
    """/cgi/search/archive/simple and /advanced (EPrints 3.3 and later), with their query."""
    params = {key: value for key, value in request.GET.items() if not key.startswith("_")}
    return permanent(reverse(f"search_{form}"), params)


@require_safe
def view_index(request: HttpRequest, view: str = "") -> HttpResponse:
    """/view/index.html and /view/<id>/index.html: the browse pages."""
    if not view:
        return redirect("browse", permanent=True)
    names = {"year": "browse_years", "creators": "browse_creators", "types": "browse_types"}
    if view in names:
        return redirect(names[view], permanent=True)
    return redirect("browse_tree", view, permanent=True)


@require_safe
def view_page(request: HttpRequest, view: str, value: str, variation: str = "") -> HttpResponse:
    """A list as EPrints addresses it: an escaped value, a grouping's own page, or both."""
    if view in ("subjects", "divisions") and variation and trees.branch(view, f"{value}.{variation}"):
        # A code that happens to end in ".type" is a code of ours, asked for as it is.
        return browse.tree_node(request, tree=view, code=f"{value}.{variation}")
    params = {"group": VARIATIONS[variation]} if variation and VARIATIONS[variation] != "type" else {}
    return permanent(list_url(view, unescape_value(value)), params)


@require_safe
def division_year(request: HttpRequest, value: str) -> HttpResponse:
    """/view/divisions/X/ and /view/divisions/X/2021.html: EPrints' divisions view is by year
    within each division; ours lists the division's items, grouped as the reader chooses."""
    return permanent(list_url("divisions", unescape_value(value)))


@require_safe
def export_view(request: HttpRequest, view: str, path: str) -> HttpResponse:
    """/cgi/exportview/VIEW/VALUE[/VALUE]/Format/file: the list's export in that format (a second
    value, a division's year, is not a list of ours: the division's whole list is exported)."""
    parts = path.split("/")
    if len(parts) < 3 or not parts[0]:
        raise Http404("No such export.")
    identifier = parts[-2]
    if get_format(identifier) is None:
        raise Http404("No such export format.")
    return permanent(list_url(view, unescape_value(parts[0])), {"export": identifier})


def list_url(view: str, value: str) -> str:
    """Our address of the list of ``view`` for an EPrints value; 404 when we have no such list."""
    if view == "year":
        if not re.fullmatch(r"[0-9]{4}|NULL", value):
            raise Http404("No such year.")
        return reverse("browse_year", args=[value])
    if view == "creators":
        return reverse("browse_creator", args=[creator_slug(value)])
    if view == "types" and value in ItemType.values:
        return reverse("browse_type", args=[value])
    if view in ("subjects", "divisions") and value and trees.branch(view, value) is not None:
        return reverse("browse_node", args=[view, value])
    raise Http404("No such list.")


def creator_slug(value: str) -> str:
    """Our author page's slug for EPrints' name value "Family:Given:Lineage:Honourific"."""
    family, _, rest = value.partition(":")
    given = rest.partition(":")[0]
    orcids = Creator.objects.filter(
        role=CreatorRole.CREATOR, family=family, given=given, item__in=Item.objects.live()
    ).values_list("orcid", flat=True)
    if not family or not orcids:
        raise Http404("No such author.")
    return people.person_slug(family, given, max(orcids))
