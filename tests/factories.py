"""Plain factory functions for tests: real rows, real files, real PDFs."""

import functools
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eprints_app.enums import ItemStatus, ItemType, Security
from eprints_app.models import Creator, Document, Item
from eprints_app.services.demo_pdf import make_pdf
from eprints_app.services.documents import add_document

_counter = itertools.count(1)


def make_user(username: str | None = None, *, role: str | None = None, **fields):
    """A user; with ``role`` (eprints_app.roles), a member of that role's group, as production makes them."""
    username = username or f"user{next(_counter)}"
    user = get_user_model().objects.create_user(username=username, password="pw-" + username, **fields)
    if role:
        # As in production: the group gives the role's permissions, and staff status with it.
        user.groups.add(Group.objects.get(name=role))
    return user


def make_item(*, status: str = ItemStatus.ARCHIVE, creators: int = 1, **fields) -> Item:
    """A report with creators; live by default, with Date Deposited set as going live does."""
    values = {
        "type": ItemType.MONOGRAPH,
        "monograph_type": "technical_report",
        "title": "A study of repositories",
        "date": "2024",
        "publisher": "Test Press",
        "status": status,
    }
    values.update(fields)
    if status == ItemStatus.ARCHIVE:
        values.setdefault("date_deposited", timezone.now())
    item = Item.objects.create(**values)
    for position in range(creators):
        Creator.objects.create(
            item=item, position=position, family=f"Family{position}", given=f"Given{position}"
        )
    return item


def make_article(**fields) -> Item:
    """A live journal article with its journal, volume, issue, pages, ISSN and DOI."""
    values = {
        "type": ItemType.ARTICLE,
        "publication": "Journal of Things",
        "volume": "14",
        "number": "3",
        "pagerange": "211-239",
        "issn": "2046-1836",
        "id_number": "10.5555/abc",
        "date": "2020-06",
    }
    return make_item(**{**values, **fields})


@functools.cache
def pdf_bytes(title: str = "A study of repositories", pages: int = 2) -> bytes:
    """A PDF made once per title and page count: tests make hundreds of documents from a few."""
    return make_pdf(title, ["Family0, Given0"], "An abstract for a test document. " * 20, pages=pages)


def make_document(
    item: Item,
    *,
    content: bytes | None = None,
    filename: str = "paper.pdf",
    security: str = Security.PUBLIC,
    **fields,
) -> Document:
    """A document with a real file saved through the storage API."""
    data = pdf_bytes() if content is None else content
    return add_document(item, SimpleUploadedFile(filename, data), security=security, **fields)
