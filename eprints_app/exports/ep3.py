"""An item as EPrints' own record: its field names and shapes (eprints.md §1, §5).

The staff-only formats (EP3 XML, JSON, CSV) write this record, and the EP3 XML importer
reads it back, so the field list lives here once. It carries personal data (creators'
email addresses, the contact email, the depositor's user ID): never use it in a public format.
"""

from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from eprints_app.enums import Security
from eprints_app.item_facts import authors, download_url, editors
from eprints_app.models import Creator, Document, Item

EP3_NS = "http://eprints.org/ep2/data/2.0"

# Fields with the same name and meaning in EPrints and in Item, in the order EPrints writes them.
BIBLIOGRAPHIC_FIELDS = (
    "monograph_type",
    "thesis_type",
    "pres_type",
    "keywords",
    "note",
    "abstract",
    "date",
    "date_type",
    "series",
    "publication",
    "volume",
    "number",
    "publisher",
    "place_of_pub",
    "pagerange",
    "pages",
    "event_title",
    "event_type",
    "event_location",
    "event_dates",
    "id_number",
    "institution",
    "department",
    "isbn",
    "issn",
    "book_title",
    "edition",
    "official_url",
)


def ep3_time(value: datetime | None) -> str | None:
    """EPrints' times: "YYYY-MM-DD hh:mm:ss" in UTC."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if value else None


def without_empty(record: dict[str, Any]) -> dict[str, Any]:
    """EPrints leaves unset fields out (False is a value: "refereed" is FALSE)."""
    return {key: value for key, value in record.items() if value is not None and value != "" and value != []}


def person_record(person: Creator) -> dict[str, Any]:
    """EPrints keeps a person's email address in "id"; the ORCID iD is our addition."""
    name = without_empty({"family": person.family, "given": person.given})
    return without_empty({"name": name, "id": person.email, "orcid": person.orcid})


def document_record(document: Document) -> dict[str, Any]:
    file = without_empty(
        {
            "uri": f"{settings.BASE_URL}/id/file/{document.pk}",
            "fileid": document.pk,
            "datasetid": "document",
            "objectid": document.pk,
            "filename": document.filename,
            "mime_type": document.mime_type,
            "hash": document.sha256,
            "hash_type": "SHA-256" if document.sha256 else "",
            "filesize": document.filesize,
            "mtime": ep3_time(document.file_modified),
            "url": download_url(document),
        }
    )
    return without_empty(
        {
            "uri": f"{settings.BASE_URL}/id/document/{document.pk}",
            "docid": document.pk,
            "files": [file],
            "eprintid": document.item_id,
            "pos": document.pos,
            "placement": document.pos,
            "mime_type": document.mime_type,
            "format": document.format,
            "formatdesc": document.formatdesc,
            "language": document.language,
            "security": document.security,
            "license": document.license,
            "date_embargo": document.date_embargo.isoformat() if document.date_embargo else None,
            "main": document.filename,
            "content": document.content,
        }
    )


def full_text_status(item: Item) -> str:
    """EPrints' derived field: "public" if any document is public, "restricted" if none is, else "none"."""
    documents = item.document_list
    if not documents:
        return "none"
    return "public" if any(d.effective_security == Security.PUBLIC for d in documents) else "restricted"


def eprint_record(item: Item) -> dict[str, Any]:
    """The item as EPrints would export it: {"uri": ..., "eprintid": ..., "creators": [...], ...}."""
    record = {
        "uri": item.uri,
        "eprintid": item.pk,
        "rev_number": item.rev_number,
        "documents": [document_record(document) for document in item.document_list],
        "eprint_status": item.status,
        "userid": item.depositor_id,
        "datestamp": ep3_time(item.date_deposited),
        "lastmod": ep3_time(item.last_modified),
        "status_changed": ep3_time(item.status_changed),
        "type": item.type,
        "succeeds": item.succeeds_id,
        "creators": [person_record(person) for person in authors(item)],
        "editors": [person_record(person) for person in editors(item)],
        "title": item.title,
        "ispublished": item.ispublished,
        "subjects": [subject.code for subject in item.subject_list],
        "divisions": [division.code for division in item.division_list],
        "full_text_status": full_text_status(item),
        **{name: getattr(item, name) for name in BIBLIOGRAPHIC_FIELDS},
        "refereed": item.refereed,
        "contact_email": item.contact_email,
    }
    # The fields an imported record had that we do not (Item.extra), as they were read, so
    # that exporting and importing again keeps them.
    record.update((name, value) for name, value in item.extra.items() if name not in record)
    return without_empty(record)
