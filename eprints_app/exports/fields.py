"""Values that several export formats derive from an item in the same way.

Everything here reads only what ``Item.objects.with_parts()`` prefetched, so formats
built on it make no queries of their own.
"""

import re

from django.conf import settings

from eprints_app.access import is_open_access
from eprints_app.enums import CreatorRole, ItemType, MonographType, PresentationType, ThesisType
from eprints_app.exports.xmltext import FORBIDDEN
from eprints_app.models import Creator, Document, Item
from eprints_app.templatetags.eprints import doi_url

SUBTYPES = {
    ItemType.MONOGRAPH: ("monograph_type", MonographType),
    ItemType.THESIS: ("thesis_type", ThesisType),
    ItemType.CONFERENCE_ITEM: ("pres_type", PresentationType),
}
PAGE_RANGE = re.compile(r"^\s*(\w+)\s*[-\u2010-\u2015]+\s*(\w+)\s*$")
KEYWORD_SEPARATOR = re.compile(r"\s*[;\n]\s*")


def one_line(value: object) -> str:
    """Text for line-based formats: no control characters, whitespace runs made one space."""
    return " ".join(FORBIDDEN.sub("", str(value)).split())


def people(item: Item, role: str) -> list[Creator]:
    return [person for person in item.creators.all() if person.role == role]


def authors(item: Item) -> list[Creator]:
    return people(item, CreatorRole.CREATOR)


def editors(item: Item) -> list[Creator]:
    return people(item, CreatorRole.EDITOR)


def subtype_label(item: Item) -> str:
    """ "Report", "Doctoral", "Poster"...: the label of the item's sub-type, if it has one."""
    if item.type not in SUBTYPES:
        return ""
    field, choices = SUBTYPES[item.type]
    value = getattr(item, field)
    return choices(value).label if value in choices.values else ""


def doi(item: Item) -> str:
    """The bare DOI ("10.5555/x") when the Identification Number is one, else ""."""
    return doi_url(item.id_number).removeprefix("https://doi.org/")


def page_range(item: Item) -> tuple[str, str]:
    """First and last page of "211-239"; ("", "") when the range is not two pages."""
    match = PAGE_RANGE.match(item.pagerange)
    return (match[1], match[2]) if match else ("", "")


def date_parts(item: Item) -> list[int]:
    """[2021], [2020, 6] or [2021, 3, 29]; [] without a date."""
    return [int(part) for part in item.date.split("-") if part.isdigit()]


def keyword_list(item: Item) -> list[str]:
    """Uncontrolled keywords, split on semicolons or lines (or commas when there are neither)."""
    text = item.keywords.strip()
    if not text:
        return []
    parts = KEYWORD_SEPARATOR.split(text) if re.search(r"[;\n]", text) else text.split(",")
    return [one_line(part) for part in parts if part.strip()]


def open_documents(item: Item) -> list[Document]:
    """Documents anyone may download now, in position order."""
    return [document for document in item.documents.all() if is_open_access(document)]


def absolute_url(path: str) -> str:
    return f"{settings.BASE_URL}{path}"
