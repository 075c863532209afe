"""What the import tests share: EP3 XML exports as EPrints writes them, with files embedded or in a
documents tree, and the command run as an operator runs it."""

import base64
import hashlib
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from lxml import etree

from tests.factories import pdf_bytes

NS = "http://eprints.org/ep2/data/2.0"


def sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}")
    element.text = text
    return element


def document(pos: int = 1, filename: str = "paper.pdf", data: bytes | None = None, **fields) -> dict:
    """A document as a test describes it; ``hash``/``hash_type`` default to EPrints' MD5."""
    data = pdf_bytes(f"Document {pos}") if data is None else data
    return {"pos": pos, "filename": filename, "data": data, **fields}


def export(records: list[dict], *, embed: bool = True) -> bytes:
    """EP3 XML of ``records`` ({"eprintid": 7, "title": ..., "documents": [document(...)], ...}):
    plain fields as elements in order, documents with their files (embedded in base64 when
    ``embed``, as EPrints' XMLFiles export does)."""
    root = etree.Element(f"{{{NS}}}eprints", nsmap={None: NS})
    for record in records:
        eprint = sub(root, "eprint")
        eprint.set("id", f"http://old.example.org/id/eprint/{record['eprintid']}")
        for name, value in record.items():
            if name == "documents":
                add_documents(sub(eprint, "documents"), record["eprintid"], value, embed)
            elif isinstance(value, list):
                items = sub(eprint, name)
                for member in value:
                    sub(items, "item", member)
            else:
                sub(eprint, name, str(value))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def add_documents(parent: etree._Element, eprintid: int, documents: list[dict], embed: bool) -> None:
    for entry in documents:
        element = sub(parent, "document")
        if "docid" in entry:
            sub(element, "docid", str(entry["docid"]))
        file = sub(sub(element, "files"), "file")
        data = entry["data"]
        sub(file, "filename", entry["filename"])
        sub(file, "mime_type", "application/pdf")
        hash_type = entry.get("hash_type", "MD5")
        algorithm = {"MD5": "md5", "SHA1": "sha1", "SHA-256": "sha256", "SHA256": "sha256"}[hash_type]
        sub(file, "hash", entry.get("hash", hashlib.new(algorithm, data).hexdigest()))
        sub(file, "hash_type", hash_type)
        sub(file, "filesize", str(len(data)))
        if "mtime" in entry:
            sub(file, "mtime", entry["mtime"])
        url = entry.get("url", f"http://old.example.org/{eprintid}/{entry['pos']}/{entry['filename']}")
        sub(file, "url", url)
        if embed:
            sub(file, "data", base64.encodebytes(data).decode()).set("encoding", "base64")
        sub(element, "eprintid", str(eprintid))
        sub(element, "pos", str(entry["pos"]))
        sub(element, "format", "text")
        sub(element, "security", entry.get("security", "public"))
        sub(element, "main", entry["filename"])
        for name in ("content", "license", "date_embargo", "language", "formatdesc"):
            if name in entry:
                sub(element, name, entry[name])


def documents_tree(root: Path, eprintid: int, documents: list[dict], *, disk: str | None = "disk0") -> Path:
    """EPrints' documents folder holding the files: root/disk0/00/00/01/23/01/paper.pdf."""
    digits = f"{eprintid:08d}"
    for entry in documents:
        folder = (
            root
            / (disk or "")
            / digits[0:2]
            / digits[2:4]
            / digits[4:6]
            / digits[6:8]
            / f"{entry['pos']:02d}"
        )
        folder.mkdir(parents=True, exist_ok=True)
        (folder / entry["filename"]).write_bytes(entry["data"])
    return root


def run(command: str, *args: str) -> tuple[str, str]:
    """The command's output and error output."""
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def stored_files(media: Path) -> set[str]:
    """The document files in storage (thumbnails aside), relative to MEDIA_ROOT."""
    folder = media / "documents"
    return {str(p.relative_to(media)) for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()
