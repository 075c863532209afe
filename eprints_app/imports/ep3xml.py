"""Reading EP3 XML, EPrints' own format (eprints.md §1, §2, §5), one record at a time.

``read_records`` streams the file with ``lxml.etree.iterparse`` and clears each record once it
is read, so a 10 GB export never sits in memory; an embedded file (EPrints' "XMLFiles" export,
base64 in ``<file><data encoding="base64">``) is decoded into a temporary file as soon as its
element ends. ``RecordReader`` turns one record into our fields, people and documents, noting
in the report what it had to leave out. Writing is ``imports.records``.
"""

import base64
import binascii
import calendar
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from lxml import etree

from eprints_app.enums import (
    ContentVersion,
    CreatorRole,
    DateType,
    DocumentFormat,
    EventType,
    ItemStatus,
    ItemType,
    Licence,
    MonographType,
    PresentationType,
    PublicationStatus,
    Security,
    ThesisType,
)
from eprints_app.exports.ep3 import BIBLIOGRAPHIC_FIELDS, EP3_NS
from eprints_app.models import Creator, Item
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
USED = {*TEXT_FIELDS, "eprintid", "eprint_status", "datestamp", "lastmod", "status_changed", "refereed"}
USED |= {"succeeds", "userid", "creators", "editors", "subjects", "divisions", "documents"}
# EPrints' bookkeeping: recomputed here, neither taken over nor kept as extra data.
BOOKKEEPING = {"uri", "rev_number", "dir", "metadata_visibility", "full_text_status", "fileinfo"}
BOOKKEEPING |= {"item_issues_count", "sword_depositor", "importid", "edit_lock"}
# A record without a title comes in under this one, in the workarea: it cannot go live untitled.
UNTITLED = "(untitled)"
# Values that may be left out when invalid, rather than refusing the record.
DROPPABLE = {"official_url", "contact_email"}
# Set on a <data> element once its file is decoded: the temporary file, or why there is none.
DECODED = "{urn:x-eprints-django:import}decoded"
DECODING_ERROR = "{urn:x-eprints-django:import}error"
# The XML is parsed this many bytes at a time.
FEED_BYTES = 64 * 1024
# Base64 decoded this many characters at a time (a multiple of 4).
BASE64_CHUNK = 4 * 256 * 1024


class EP3ImportError(Exception):
    """A record, or the file from here on, cannot be imported."""


class MalformedXML(EP3ImportError):
    """The file stops being well-formed XML at ``line``: nothing after it can be read."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


@dataclass
class Embedded:
    """A file's bytes from ``<data encoding="base64">``, decoded into ``path`` (None: ``error``)."""

    path: Path | None
    error: str = ""


@dataclass
class ImportReport:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    #: "eprint N (line L): why" for records that were not written.
    failed: list[str] = field(default_factory=list)
    #: Why the import stopped before the end of a file (malformed XML), with the line.
    stopped: str = ""
    documents_stored: int = 0
    documents_unchanged: int = 0
    #: "eprint N: document P (file): why" for documents left out.
    documents_left_out: list[str] = field(default_factory=list)
    created_subjects: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    created_divisions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: Fields the model does not have, and in how many records: their values are in Item.extra.
    extra_fields: Counter = field(default_factory=Counter)
    users_created: int = 0
    users_updated: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def element_value(element: etree._Element) -> Any:
    """Text, a list (members <item>, <document>, <file>) or a dict of child elements; a dict
    keeps an ``id`` attribute as "uri", as our export writes a nested value's "uri"."""
    if element.tag == f"{E}data" and element.get(DECODED) is not None:
        path = element.get(DECODED)
        return Embedded(Path(path) if path else None, element.get(DECODING_ERROR, ""))
    children = [child for child in element if isinstance(child.tag, str)]
    if not children:
        return (element.text or "").strip()
    if all(local_name(child) in LIST_MEMBERS for child in children):
        return [element_value(child) for child in children]
    value = {"uri": element.get("id")} if element.get("id") else {}
    value.update((local_name(child), element_value(child)) for child in children)
    return value


def decode_base64(text: str, folder: Path) -> Embedded:
    """Decode base64 text (with EPrints' line breaks) into a temporary file, a chunk at a time."""
    with tempfile.NamedTemporaryFile(dir=folder, delete=False) as out:
        carry = ""
        try:
            for start in range(0, len(text), BASE64_CHUNK):
                piece = carry + "".join(text[start : start + BASE64_CHUNK].split())
                cut = len(piece) - len(piece) % 4
                out.write(base64.b64decode(piece[:cut], validate=True))
                carry = piece[cut:]
            if carry:
                raise binascii.Error("incomplete base64 at the end")
        except binascii.Error as error:
            return Embedded(None, f"its embedded data is not valid base64 ({error})")
    return Embedded(Path(out.name))


class DecodingParser:
    """Parse events, with embedded files decoded and dropped from the tree as they end.

    lxml's pull parser is fed a chunk at a time (``iterparse`` is built on it, but drops the
    events of a chunk that turns out malformed: here every record before the error is read)."""

    def __init__(self, stream: IO[bytes], folder: Path):
        self.stream, self.folder = stream, folder
        self.parser = etree.XMLPullParser(
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            remove_comments=True,
            remove_pis=True,
            huge_tree=True,  # embedded files are text nodes far over libxml2's 10 MB default
        )

    def records(self) -> Iterator[tuple[dict[str, Any], int]]:
        depth, record_depth = 0, 1
        while True:
            chunk, error = self.stream.read(FEED_BYTES), None
            try:
                if chunk:
                    self.parser.feed(chunk)
                else:
                    self.parser.close()
            except etree.XMLSyntaxError as syntax_error:
                error = syntax_error
            # A file that ends too soon: closing ends its open elements, which were never whole.
            events = self.parser.read_events() if chunk or error is None else ()
            for event, element in events:
                if event == "start":
                    if depth == 0:
                        record_depth = self.check_root(element)
                    depth += 1
                    continue
                depth -= 1
                if element.tag == f"{E}data" and element.getparent() is not None:
                    self.decode(element)
                elif depth == record_depth and element.tag == f"{E}eprint":
                    yield element_value(element), element.sourceline or 0
                    element.clear(keep_tail=True)
                    parent = element.getparent()
                    if parent is not None:
                        while element.getprevious() is not None:
                            del parent[0]
            if error is not None:
                line = max(error.lineno or 1, 1)  # an empty file is broken at line 0 to libxml2
                raise MalformedXML(f"the file is not well-formed XML at line {line}: {error.msg}", line)
            if not chunk:
                return

    @staticmethod
    def check_root(root: etree._Element) -> int:
        if root.tag == f"{E}eprint":
            return 0
        if root.tag != f"{E}eprints":
            raise EP3ImportError(
                f"the file is not EP3 XML: its root is <{local_name(root)}>, not <eprints> in {EP3_NS}."
            )
        return 1

    def decode(self, element: etree._Element) -> None:
        if (element.get("encoding") or "base64") == "base64":
            embedded = decode_base64(element.text or "", self.folder)
        else:
            encoding = element.get("encoding")
            embedded = Embedded(None, f"its embedded data has an unknown encoding, {encoding!r}")
        # The base64 text goes at once; what became of it is noted on the element (attributes
        # of the file's own are dropped first, so that no file can name a path of its choosing).
        element.text = None
        element.attrib.clear()
        element.set(DECODED, str(embedded.path) if embedded.path else "")
        element.set(DECODING_ERROR, embedded.error)


def read_records(stream: IO[bytes], folder: Path) -> Iterator[tuple[dict[str, Any], int]]:
    """The <eprint> records of an EP3 XML stream, as nested values, each with its line.

    Embedded files are decoded into ``folder``; raises ``EP3ImportError`` for a file that is
    not EP3 XML and ``MalformedXML`` (with the line) where the XML breaks."""
    return DecodingParser(stream, folder).records()


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [] if value in ("", None) else [value]


def ascii_number(text: Any) -> int | None:
    """A number written in ASCII digits ("²" and other Unicode digits are not numbers here)."""
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) < 19:
        return int(text)
    return None


def parse_time(text: str) -> datetime | None:
    """EPrints' "YYYY-MM-DD hh:mm:ss" (or a bare date), in UTC."""
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def document_format(value: str) -> str:
    """EPrints' document format: ours, or older EPrints' MIME type by its kind."""
    if value in DocumentFormat.values:
        return value
    kind = value.split("/")[0]
    if value in ("application/pdf", "application/msword", "application/postscript") or kind == "text":
        return DocumentFormat.TEXT
    return {"image": DocumentFormat.IMAGE, "video": DocumentFormat.VIDEO, "audio": DocumentFormat.AUDIO}.get(
        kind, DocumentFormat.OTHER
    )


def embargo_end(text: str) -> date | None:
    """A full date, or the last day of the year ("2031") or month ("2031-06") named."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    year_text, _, month_text = text.partition("-")
    year, month = ascii_number(year_text), ascii_number(month_text) if month_text else 12
    if year and 1 <= year <= 9999 and month and 1 <= month <= 12:
        return date(year, month, calendar.monthrange(year, month)[1])
    return None


# EPrints' licence codes that name one of ours in another version or spelling.
LICENCES = {
    "cc_by": Licence.CC_BY,
    "cc_by_sa": Licence.CC_BY_SA,
    "cc_by_nd": Licence.CC_BY_ND,
    "cc_by_nc": Licence.CC_BY_NC,
    "cc_by_nc_sa": Licence.CC_BY_NC_SA,
    "cc_by_nc_nd": Licence.CC_BY_NC_ND,
    "cc_public_domain": Licence.CC0,
}


@dataclass
class DocumentRecord:
    """One <document> of a record: where it goes, how it is described and its main file."""

    pos: int
    description: dict[str, Any]
    file: dict[str, Any]
    label: str
    #: EPrints' document ID, kept as the document's own where it is free.
    docid: int | None = None
    #: When EPrints last changed the file.
    mtime: datetime | None = None


class RecordReader:
    """Turns one record into our item's values, its people and documents, noting problems."""

    def __init__(self, record: dict[str, Any], number: int, line: int, report: ImportReport):
        self.record, self.report = record, report
        self.eprintid = ascii_number(record.get("eprintid"))
        self.label = f"eprint {self.eprintid}" if self.eprintid else f"record {number} (line {line})"

    def warn(self, message: str) -> None:
        self.report.warnings.append(f"{self.label}: {message}")

    def text(self, name: str, record: dict[str, Any] | None = None) -> str:
        value = (self.record if record is None else record).get(name, "")
        return value if isinstance(value, str) else ""

    def choice(self, name: str) -> str:
        value = self.text(name)
        if value and value not in CHOICES[name].values:
            self.warn(f"{name} {value!r} is not one we know; left empty.")
            return ""
        return value

    def item_values(self) -> dict[str, Any]:
        """The item's fields as the record has them, its timestamps exactly."""
        values: dict[str, Any] = {name: self.text(name) for name in TEXT_FIELDS}
        values.update({name: self.choice(name) for name in CHOICES})
        if not values["type"]:
            values["type"] = ItemType.OTHER
        values["refereed"] = self.text("refereed").upper() == "TRUE"
        values["pages"] = ascii_number(values["pages"])
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
        for name, source in (("date_deposited", "datestamp"), ("status_changed", "status_changed")):
            values[name] = parse_time(self.text(source))
            if self.text(source) and values[name] is None:
                self.warn(f"{source} {self.text(source)!r} is not a time; left empty.")
        if values["status"] == ItemStatus.ARCHIVE and values["date_deposited"] is None:
            values["date_deposited"] = timezone.now()
        return values

    def last_modified(self) -> datetime | None:
        return parse_time(self.text("lastmod"))

    def bookkeeping(self) -> dict[str, Any]:
        """EPrints' times and revision number, to be set after every save that moves them."""
        values = {
            "last_modified": self.last_modified(),
            "rev_number": ascii_number(self.record.get("rev_number")),
        }
        return {name: value for name, value in values.items() if value is not None}

    def validate(self, item: Item) -> None:
        """Check the item as a form would; a bad link or address is dropped, anything else is fatal."""
        try:
            item.full_clean(exclude=["depositor", "succeeds", "extra"], validate_unique=False)
        except ValidationError as error:
            problems = error.message_dict
            for name in problems.keys() & DROPPABLE:
                self.warn(f"{name} {getattr(item, name)!r} is not valid; left empty.")
                setattr(item, name, "")
            fatal = {name: messages for name, messages in problems.items() if name not in DROPPABLE}
            if fatal:
                details = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fatal.items())
                raise EP3ImportError(details) from None

    def people(self) -> list[Creator]:
        people = []
        for role, name in ((CreatorRole.CREATOR, "creators"), (CreatorRole.EDITOR, "editors")):
            for entry in as_list(self.record.get(name)):
                person = self.person(entry, role, len([p for p in people if p.role == role]))
                if person is not None:
                    people.append(person)
        return people

    def person(self, entry: Any, role: str, position: int) -> Creator | None:
        entry = entry if isinstance(entry, dict) else {}
        name = entry.get("name") if isinstance(entry.get("name"), dict) else {}
        family, given = (self.text(part, name) for part in ("family", "given"))
        if not (family or given):
            self.warn(f"a {role} without a name was left out.")
            return None
        email = self.text("id", entry)
        try:
            validate_email(email)
        except ValidationError:
            email = ""  # EPrints' "id" may be a local identifier rather than an address
        orcid = self.text("orcid", entry)
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

    def extra(self) -> dict[str, Any]:
        """The fields the model does not have, as read (counted in the report)."""
        extra = {name: value for name, value in self.record.items() if name not in USED | BOOKKEEPING}
        self.report.extra_fields.update(extra.keys())
        return extra

    def documents(self) -> list[DocumentRecord]:
        """The record's documents, each with its main file; what cannot be placed is reported."""
        documents: dict[int, DocumentRecord] = {}
        for number, entry in enumerate(as_list(self.record.get("documents")), start=1):
            entry = entry if isinstance(entry, dict) else {}
            pos = ascii_number(entry.get("pos")) or ascii_number(entry.get("placement"))
            files = [f for f in as_list(entry.get("files")) if isinstance(f, dict)]
            main = self.text("main", entry)
            file = next((f for f in files if f.get("filename") == main), files[0] if files else {})
            label = f"{self.label}: document {pos or number} ({main or self.text('filename', file)})"
            if not pos or pos > 32767 or pos in documents:
                self.report.documents_left_out.append(f"{label}: its position is missing or taken twice")
                continue
            if not file:
                self.report.documents_left_out.append(f"{label}: it has no file")
                continue
            if len(files) > 1:
                others = ", ".join(self.text("filename", f) for f in files if f is not file)
                self.warn(f"document {pos} keeps its main file only; left out: {others}.")
            documents[pos] = DocumentRecord(
                pos,
                self.description(entry, label),
                file,
                label,
                docid=ascii_number(entry.get("docid")),
                mtime=parse_time(self.text("mtime", file)),
            )
        return list(documents.values())

    def description(self, entry: dict[str, Any], label: str) -> dict[str, Any]:
        """A document's format, description, security, licence, embargo, version and language."""
        security = self.text("security", entry) or Security.PUBLIC
        if security not in Security.values:
            self.report.warnings.append(f"{label}: security {security!r} is not one we know; staff only.")
            security = Security.STAFFONLY
        licence = self.text("license", entry)
        licence = licence if licence in Licence.values else LICENCES.get(licence, licence)
        if licence and licence not in Licence.values:
            self.report.warnings.append(f"{label}: licence {licence!r} is not one we know; left empty.")
            licence = ""
        content = self.text("content", entry)
        if content and content not in ContentVersion.values:
            self.report.warnings.append(f"{label}: content {content!r} is not one we know; kept as other.")
            content = ContentVersion.OTHER
        embargo = self.text("date_embargo", entry)
        date_embargo = embargo_end(embargo) if embargo else None
        if embargo and date_embargo is None:
            self.report.warnings.append(f"{label}: date_embargo {embargo!r} is not a date; staff only.")
            security = Security.STAFFONLY
        return {
            "format": document_format(self.text("format", entry)),
            "formatdesc": self.text("formatdesc", entry)[:255],
            "content": content,
            "language": self.text("language", entry)[:16],
            "security": security,
            "license": licence,
            "date_embargo": date_embargo,
        }
