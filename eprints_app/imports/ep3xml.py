"""Reading EP3 XML, EPrints' own format, into items (eprints.md §1, §5).

Reads what EPrints exports (and our EP3 XML export): creators and editors in order with
their ORCID iDs, subjects and divisions by code, every bibliographic field. What cannot be
taken over is reported, not guessed: unknown subject or division codes are not created,
fields we do not have are listed, and documents are skipped because their files would have
to be fetched from the old repository. Everything happens in one transaction: a record
that cannot be imported leaves the database as it was.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from lxml import etree

from eprints_app.enums import (
    CreatorRole,
    DateType,
    EventType,
    ItemStatus,
    ItemType,
    MonographType,
    PresentationType,
    PublicationStatus,
    ThesisType,
)
from eprints_app.exports.ep3 import BIBLIOGRAPHIC_FIELDS, EP3_NS
from eprints_app.models import Creator, Division, Item, Subject
from eprints_app.validators import validate_orcid, validate_partial_date

E = f"{{{EP3_NS}}}"
LIST_MEMBERS = {"item", "document", "file"}
CHOICES = {
    "type": ItemType,
    "monograph_type": MonographType,
    "thesis_type": ThesisType,
    "pres_type": PresentationType,
    "date_type": DateType,
    "ispublished": PublicationStatus,
    "event_type": EventType,
}
TEXT_FIELDS = ("type", "title", "ispublished", *BIBLIOGRAPHIC_FIELDS, "contact_email")
USED = {*TEXT_FIELDS, "eprintid", "eprint_status", "datestamp", "status_changed", "refereed", "succeeds"}
USED |= {"creators", "editors", "subjects", "divisions", "documents"}
# A record without a title comes in under this one, in the workarea: it cannot go live untitled.
UNTITLED = "(untitled)"
# Values that may be left out when invalid, rather than refusing the record.
DROPPABLE = {"official_url", "contact_email"}
# EPrints' bookkeeping, recomputed here rather than taken over.
BOOKKEEPING = {"rev_number", "userid", "dir", "lastmod", "metadata_visibility", "full_text_status"}
BOOKKEEPING |= {"item_issues_count", "fileinfo"}


class EP3ImportError(Exception):
    """The file cannot be imported; nothing was written."""


@dataclass
class ImportReport:
    items: list[Item] = field(default_factory=list)
    #: (eprint ID in the file, ID given here) for records that could not keep theirs.
    renumbered: list[tuple[int | None, int]] = field(default_factory=list)
    #: Unknown codes and the records (by their ID in the file) that named them.
    unknown_subjects: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unknown_divisions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    skipped_documents: list[str] = field(default_factory=list)
    ignored_fields: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def element_value(element: etree._Element) -> Any:
    """Text, a list (members <item>, <document>, <file>) or a dict of child elements."""
    children = [child for child in element if isinstance(child.tag, str)]
    if not children:
        return (element.text or "").strip()
    if all(local_name(child) in LIST_MEMBERS for child in children):
        return [element_value(child) for child in children]
    return {local_name(child): element_value(child) for child in children}


def read_records(source: bytes) -> list[dict[str, Any]]:
    """The <eprint> records of an EP3 XML document, as nested values."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(source, parser)
    except etree.XMLSyntaxError as error:
        raise EP3ImportError(f"The file is not well-formed XML: {error}.") from None
    if root.tag == f"{E}eprint":
        return [element_value(root)]
    if root.tag != f"{E}eprints":
        raise EP3ImportError(
            f"The file is not EP3 XML: its root is <{local_name(root)}>, not <eprints> in {EP3_NS}."
        )
    return [element_value(element) for element in root.findall(f"{E}eprint")]


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [] if value in ("", None) else [value]


def parse_time(text: str) -> datetime | None:
    """EPrints' "YYYY-MM-DD hh:mm:ss" (or a bare date), in UTC."""
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


class RecordReader:
    """Turns one record into an unsaved item and its people, noting problems in the report."""

    def __init__(self, record: dict[str, Any], label: str, report: ImportReport):
        self.record, self.label, self.report = record, label, report

    def warn(self, message: str) -> None:
        self.report.warnings.append(f"{self.label}: {message}")

    def text(self, name: str) -> str:
        value = self.record.get(name, "")
        return value if isinstance(value, str) else ""

    def choice(self, name: str) -> str:
        value = self.text(name)
        if value and value not in CHOICES[name].values:
            self.warn(f"{name} {value!r} is not one we know; left empty.")
            return ""
        return value

    def item(self) -> Item:
        values: dict[str, Any] = {name: self.text(name) for name in TEXT_FIELDS}
        values.update({name: self.choice(name) for name in CHOICES})
        if not values["type"]:
            values["type"] = ItemType.OTHER
        values["refereed"] = self.text("refereed").upper() == "TRUE"
        values["pages"] = int(values["pages"]) if values["pages"].isdigit() else None
        if self.text("pages") and values["pages"] is None:
            self.warn(f"pages {self.text('pages')!r} is not a number; left empty.")
        try:
            validate_partial_date(values["date"])
        except ValidationError:
            if values["date"]:
                self.warn(f"date {values['date']!r} is not a date; left empty.")
            values["date"] = ""
        status = self.text("eprint_status")
        values["status"] = status if status in ItemStatus.values else ItemStatus.INBOX
        if status and status not in ItemStatus.values:
            self.warn(f"eprint_status {status!r} is not one we know; the item is in the workarea.")
        if not values["title"].strip():
            values["title"], values["status"] = UNTITLED, ItemStatus.INBOX
            self.warn(f"it has no title: imported into the workarea as {UNTITLED!r}.")
        values["date_deposited"] = parse_time(self.text("datestamp"))
        values["status_changed"] = parse_time(self.text("status_changed"))
        if values["status"] == ItemStatus.ARCHIVE and values["date_deposited"] is None:
            values["date_deposited"] = timezone.now()
        return Item(**values)

    def validate(self, item: Item) -> None:
        """Check the item as a form would; a bad link or address is dropped, anything else is fatal."""
        try:
            item.full_clean(exclude=["depositor", "succeeds"], validate_unique=False)
        except ValidationError as error:
            problems = error.message_dict
            for name in problems.keys() & DROPPABLE:
                self.warn(f"{name} {getattr(item, name)!r} is not valid; left empty.")
                setattr(item, name, "")
            fatal = {name: messages for name, messages in problems.items() if name not in DROPPABLE}
            if fatal:
                details = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fatal.items())
                raise EP3ImportError(f"{self.label} cannot be imported ({details}).") from None

    def people(self) -> list[Creator]:
        people = []
        for role, name in ((CreatorRole.CREATOR, "creators"), (CreatorRole.EDITOR, "editors")):
            for position, entry in enumerate(as_list(self.record.get(name))):
                person = self.person(entry, role, position)
                if person is not None:
                    people.append(person)
        return people

    def person(self, entry: Any, role: str, position: int) -> Creator | None:
        entry = entry if isinstance(entry, dict) else {}
        name = entry.get("name") if isinstance(entry.get("name"), dict) else {}
        family, given = (name.get(part, "") for part in ("family", "given"))
        if not (family or given):
            self.warn(f"a {role} without a name was left out.")
            return None
        email = entry.get("id", "")
        try:
            validate_email(email)
        except ValidationError:
            email = ""  # EPrints' "id" may be a local identifier rather than an address
        orcid = entry.get("orcid", "")
        try:
            validate_orcid(orcid)
        except ValidationError:
            if orcid:
                self.warn(f"{family}'s ORCID iD {orcid!r} is not valid; left out.")
            orcid = ""
        return Creator(
            role=role,
            position=position,
            family=family or given,
            given=given if family else "",
            email=email,
            orcid=orcid,
        )

    def codes(self, name: str) -> list[str]:
        return [code for code in as_list(self.record.get(name)) if isinstance(code, str) and code]

    def note_documents(self) -> None:
        for document in as_list(self.record.get("documents")):
            document = document if isinstance(document, dict) else {}
            files = [f for f in as_list(document.get("files")) if isinstance(f, dict)]
            source = files[0].get("url", "") if files else ""
            self.report.skipped_documents.append(
                f"{self.label}: document {document.get('pos', '?')} ({document.get('main', '')})"
                + (f" at {source}" if source else "")
            )

    def note_ignored_fields(self) -> None:
        for name in self.record:
            if name not in USED and name not in BOOKKEEPING:
                self.report.ignored_fields[name] += 1


def import_ep3xml(source: bytes, *, keep_ids: bool = False) -> ImportReport:
    """Create an item for each record of the EP3 XML document.

    Steps: parse the whole file (malformed XML or another format: nothing is written);
    then, in one transaction, for each record build and validate the item, give it its
    eprint ID when ``keep_ids`` and no item has that ID yet (a new ID otherwise), save it
    with its creators and editors in order, assign the subjects and divisions that exist
    here, and note skipped documents and fields; last, link "Later Version of" between
    records of the same file. Raises EP3ImportError, with nothing written, when a record
    is invalid.
    """
    records = read_records(source)
    report = ImportReport()
    subjects = Subject.objects.in_bulk(
        [c for r in records for c in as_list(r.get("subjects")) if isinstance(c, str)]
    )
    divisions = Division.objects.in_bulk(
        [c for r in records for c in as_list(r.get("divisions")) if isinstance(c, str)]
    )
    by_file_id: dict[str, Item] = {}
    successors: list[tuple[Item, str]] = []
    with transaction.atomic():
        for number, record in enumerate(records, start=1):
            file_id = record.get("eprintid") if isinstance(record.get("eprintid"), str) else ""
            reader = RecordReader(record, f"eprint {file_id}" if file_id else f"record {number}", report)
            item = reader.item()
            if keep_ids and file_id.isdigit() and not Item.objects.filter(pk=int(file_id)).exists():
                item.id = int(file_id)
            reader.validate(item)
            item.save()
            if str(item.pk) != file_id:
                report.renumbered.append((int(file_id) if file_id.isdigit() else None, item.pk))
            people = reader.people()
            for person in people:
                person.item = item
            Creator.objects.bulk_create(people)
            for name, known, unknown in (
                ("subjects", subjects, report.unknown_subjects),
                ("divisions", divisions, report.unknown_divisions),
            ):
                codes = reader.codes(name)
                getattr(item, name).set([known[code] for code in codes if code in known])
                for code in codes:
                    if code not in known:
                        unknown[code].append(reader.label)
            reader.note_documents()
            reader.note_ignored_fields()
            if file_id:
                by_file_id[file_id] = item
            if reader.text("succeeds"):
                successors.append((item, reader.text("succeeds")))
            report.items.append(item)
        for item, earlier in successors:
            if earlier in by_file_id:
                Item.objects.filter(pk=item.pk).update(succeeds=by_file_id[earlier])
            else:
                report.warnings.append(
                    f"eprint {item.pk}: it succeeds eprint {earlier}, not in this file; not linked."
                )
    return report
