"""The whole repository as a BagIt bag (RFC 8493), laid out as EPrints keeps a repository, so
that ``import_eprints DIR`` (here or after a move) reads it back:

    bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt
    data/users.xml                  every depositor, as EPrints' user XML
    data/subjects, data/divisions   the two trees, as EPrints' subjects files (``import_subjects``)
    data/eprints.xml                every record of every status, as EP3 XML (``exports.ep3xml``)
    data/documents/disk0/00/00/01/23/01/<file>   eprint 123's document 1, as in EPrints

Written to the specification rather than with the ``bagit`` package: that one reads every file
again after it is in place to checksum it, and wants the payload on local disk first; here each
file is checksummed as it is written, in one pass, from the storage (a bucket too) a chunk at a
time, and the XML record by record, so the size of the repository is never held in memory.

The bag is written into a hidden folder beside the target and renamed into place at the end,
so a failed export leaves nothing half-written where the bag should be.
"""

import hashlib
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from lxml import etree

from eprints_app.exports.ep3 import EP3_NS, ep3_time, eprint_record, without_empty
from eprints_app.exports.ep3xml import add
from eprints_app.exports.xmltext import DECLARATION, to_xml
from eprints_app.imports.files import plain_name, tree_folder
from eprints_app.models import Division, Document, Item, Subject
from eprints_app.models.classification import TreeNode
from eprints_app.roles import ADMINISTRATOR, EDITOR
from eprints_app.services.fixity import stored_chunks
from eprints_app.unavailable import bucket_errors

BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
DOCUMENTS = "data/documents/disk0"
CHECK_FIXITY = "manage.py check_fixity lists every such file"
# Items fetched with their parts per query: enough to be quick, few enough to stay small.
BATCH = 200


class BagExportError(Exception):
    """The bag could not be written; nothing was left at its place."""


@dataclass
class BagReport:
    records: int = 0
    users: int = 0
    files: int = 0
    octets: int = 0


class HashingFile:
    """A file being written, with the SHA-256 and size of what went in."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def write(self, data: bytes | str) -> None:
        data = data.encode() if isinstance(data, str) else data
        self.handle.write(data)
        self.digest.update(data)
        self.size += len(data)


class BagWriter:
    """Payload files written under ``root`` with their checksums, then the tag files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.manifest: dict[str, str] = {}
        self.octets = 0

    @contextmanager
    def payload(self, path: str) -> Iterator[HashingFile]:
        """Write the payload file at ``path`` (relative to the bag, under data/)."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as handle:
            written = HashingFile(handle)
            yield written
        self.manifest[path] = written.digest.hexdigest()
        self.octets += written.size

    def finish(self, info: dict[str, str]) -> None:
        """bagit.txt, bag-info.txt (with the Payload-Oxum), the manifest and the tag manifest."""
        info = {**info, "Payload-Oxum": f"{self.octets}.{len(self.manifest)}", "Bag-Count": "1 of 1"}
        tags = {
            "bagit.txt": BAGIT_TXT,
            "bag-info.txt": "".join(f"{label}: {' '.join(value.split())}\n" for label, value in info.items()),
            "manifest-sha256.txt": manifest_text(self.manifest),
        }
        for name, text in tags.items():
            (self.root / name).write_text(text, encoding="utf-8")
        checksums = {name: hashlib.sha256(text.encode()).hexdigest() for name, text in tags.items()}
        (self.root / "tagmanifest-sha256.txt").write_text(manifest_text(checksums), encoding="utf-8")


def manifest_text(checksums: dict[str, str]) -> str:
    """ "<sha256>  <path>" lines; CR, LF and "%" in a path percent-encoded (RFC 8493 §2.1.3)."""
    return "".join(f"{checksum}  {encode_path(path)}\n" for path, checksum in sorted(checksums.items()))


def encode_path(path: str) -> str:
    return path.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D")


def document_path(document: Document) -> str:
    """The document's place in EPrints' documents tree, inside the bag."""
    if not plain_name(document.filename):
        raise BagExportError(
            f"eprint {document.item_id}, document {document.pos}: {document.filename!r} is no file name."
        )
    return f"{DOCUMENTS}/{tree_folder(document.item_id, document.pos).as_posix()}/{document.filename}"


def record_xml(item: Item) -> str:
    """One <eprint> as the EP3 XML export writes it inside <eprints>, indented to sit there."""
    root = etree.Element(f"{{{EP3_NS}}}eprints", nsmap={None: EP3_NS})
    add(root, "eprint", eprint_record(item))
    # "<eprints xmlns=...>\n" + the record + "</eprints>": the record's lines alone.
    return to_xml(root, declaration=False).partition("\n")[2].removesuffix("</eprints>")


def user_type(user) -> str:
    """EPrints' user type for the user's role."""
    groups = {group.name for group in user.groups.all()}
    if user.is_superuser or ADMINISTRATOR in groups:
        return "admin"
    return "editor" if EDITOR in groups else "user"


def user_xml(user) -> str:
    root = etree.Element(f"{{{EP3_NS}}}users", nsmap={None: EP3_NS})
    record = {
        "uri": f"{settings.BASE_URL}/id/user/{user.pk}",
        "userid": user.pk,
        "username": user.get_username(),
        "email": user.email,
        "name": without_empty({"family": user.last_name, "given": user.first_name}),
        "usertype": user_type(user),
        "joined": ep3_time(user.date_joined),
    }
    add(root, "user", without_empty(record))
    return to_xml(root, declaration=False).partition("\n")[2].removesuffix("</users>")


def write_users(bag: BagWriter) -> int:
    """data/users.xml: everyone who deposited an item."""
    depositors = (
        get_user_model()
        .objects.filter(pk__in=Item.objects.filter(depositor__isnull=False).values("depositor_id"))
        .prefetch_related("groups")
        .order_by("pk")
    )
    count = 0
    with bag.payload("data/users.xml") as out:
        out.write(f'{DECLARATION}<users xmlns="{EP3_NS}">\n')
        for user in depositors.iterator(chunk_size=BATCH):
            out.write(user_xml(user))
            count += 1
        out.write("</users>\n")
    return count


def copy_file(bag: BagWriter, document: Document) -> None:
    """The document's file from the storage into the documents tree, checked against the
    SHA-256 recorded when it was stored."""
    path = document_path(document)
    which = f"eprint {document.item_id}, document {document.pos}: its file {document.file.name}"
    try:
        with bag.payload(path) as out:
            for chunk in stored_chunks(document.file.storage, document.file.name):
                out.write(chunk)
    except FileNotFoundError:
        raise BagExportError(f"{which} is missing from the storage ({CHECK_FIXITY}).") from None
    except (OSError, *bucket_errors()) as error:
        raise BagExportError(f"{which} cannot be read: {error}") from None
    if bag.manifest[path] != document.sha256:
        raise BagExportError(f"{which} is not the file stored: its SHA-256 differs ({CHECK_FIXITY}).")


def write_tree(bag: BagWriter, model: type[TreeNode], root: str) -> None:
    """The tree as EPrints' subjects file, "code:name:parents:depositable" a line, under a root
    named ``root`` (what ``import_subjects`` loads by default), parents before children."""
    with bag.payload(f"data/{root}") as out:
        out.write(f"{root}:{model._meta.verbose_name_plural.title()}:ROOT:0\n")
        for code, name, parent in model.objects.order_by("lineage").values_list("code", "name", "parent_id"):
            out.write(f"{code}:{' '.join(name.split())}:{parent or root}:1\n")


def write_records(bag: BagWriter, report: BagReport, on_record: Callable[[], None]) -> None:
    """data/eprints.xml, record by record, and each record's files."""
    items = Item.objects.with_parts().order_by("pk")
    with bag.payload("data/eprints.xml") as out:
        out.write(f'{DECLARATION}<eprints xmlns="{EP3_NS}">\n')
        for item in items.iterator(chunk_size=BATCH):
            out.write(record_xml(item))
            for document in item.document_list:
                copy_file(bag, document)
                report.files += 1
            report.records += 1
            on_record()
        out.write("</eprints>\n")


def bag_info() -> dict[str, str]:
    return {
        "Source-Organization": settings.REPOSITORY_NAME,
        "Contact-Email": settings.REPOSITORY_CONTACT_EMAIL,
        "External-Identifier": settings.BASE_URL,
        "External-Description": (
            f"Every record of {settings.REPOSITORY_NAME} as EP3 XML (data/eprints.xml), its depositors "
            "(data/users.xml) and its files in EPrints' documents tree (data/documents/)."
        ),
        "Bagging-Date": timezone.localdate().isoformat(),
        "Bag-Software-Agent": "export_repository (mini EPrints on Django)",
    }


def check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise BagExportError(f"{target} is a file: give a new or empty folder for the bag.")
    if target.is_dir() and any(target.iterdir()):
        raise BagExportError(f"{target} is not empty: give a new or empty folder for the bag.")


def export_repository(target: Path, on_record: Callable[[], None] = lambda: None) -> BagReport:
    """Write the bag at ``target`` (a new or empty folder). Raises BagExportError."""
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.parent / f".{target.name}.{secrets.token_hex(4)}.partial"
    building.mkdir()
    try:
        bag = BagWriter(building)
        report = BagReport()
        report.users = write_users(bag)
        write_tree(bag, Subject, "subjects")
        write_tree(bag, Division, "divisions")
        write_records(bag, report, on_record)
        bag.finish(bag_info())
        report.octets = bag.octets
        check_target(target)
        if target.is_dir():
            target.rmdir()
        building.rename(target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return report
