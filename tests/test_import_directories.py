"""import_eprints of a folder (users.xml first, then every *.xml) and of a bag written by
export_repository (checked against its manifest before anything is imported)."""

import hashlib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError

from eprints_app.models import Document, Item
from eprints_app.roles import EDITOR
from tests.import_support import document, documents_tree, export, run

pytestmark = pytest.mark.django_db

USERS = """<?xml version='1.0' encoding='utf-8'?>
<users xmlns='http://eprints.org/ep2/data/2.0'>
  <user><userid>5</userid><username>jsmith</username><email>j.smith@example.org</email>
    <name><family>Smith</family><given>Jane</given></name><usertype>editor</usertype></user>
  <user><userid>6</userid><username>pjones</username><email>p.jones@example.org</email>
    <name><family>Jones</family><given>Pat</given></name><usertype>user</usertype></user>
</users>
"""


def record(eprintid: int, userid: str, documents: list | None = None) -> dict:
    return {
        "eprintid": eprintid,
        "eprint_status": "archive",
        "userid": userid,
        "datestamp": "2014-09-25 21:08:31",
        "lastmod": "2019-02-03 04:05:06",
        "type": "article",
        "title": f"Record {eprintid}",
        "documents": documents or [],
    }


def test_a_folder_with_users_xml_gives_each_record_its_depositor(tmp_path):
    (tmp_path / "users.xml").write_text(USERS, encoding="utf-8")
    (tmp_path / "a.xml").write_bytes(export([record(1, "5")]))
    (tmp_path / "b.xml").write_bytes(export([record(2, "6"), record(3, "99")]))

    out, _ = run("import_eprints", str(tmp_path))

    jane = get_user_model().objects.get(username="jsmith")
    assert (jane.email, jane.first_name, jane.last_name, jane.has_usable_password()) == (
        "j.smith@example.org",
        "Jane",
        "Smith",
        False,
    )
    assert jane.groups.filter(name=EDITOR).exists() and jane.is_staff
    assert dict(Item.objects.values_list("pk", "depositor__username")) == {1: "jsmith", 2: "pjones", 3: None}
    assert "Users: 2 created, 0 updated." in out
    assert "  eprint 3: its depositor, user 99, is not in users.xml; left as it was." in out

    again, _ = run("import_eprints", str(tmp_path))
    assert get_user_model().objects.count() == 2 and Item.objects.count() == 3
    assert "Users:" not in again


def test_without_users_xml_depositors_are_left_as_they_were(tmp_path, depositor):
    (tmp_path / "a.xml").write_bytes(export([record(1, "5")]))
    run("import_eprints", str(tmp_path))
    Item.objects.filter(pk=1).update(depositor=depositor)
    run("import_eprints", str(tmp_path / "a.xml"))
    assert Item.objects.get(pk=1).depositor == depositor


def write_bag(root: Path, records: list[dict]) -> Path:
    """A bag as export_repository writes it: data/users.xml, data/eprints.xml (files listed, not
    embedded), data/documents/disk0/…, and SHA-256 manifests."""
    data = root / "data"
    data.mkdir(parents=True)
    (data / "users.xml").write_text(USERS, encoding="utf-8")
    (data / "eprints.xml").write_bytes(export(records, embed=False))
    for entry in records:
        documents_tree(data / "documents", entry["eprintid"], entry["documents"])
    (root / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    (root / "bag-info.txt").write_text("Bagging-Date: 2026-12-06\n")
    payload = sorted(p for p in data.rglob("*") if p.is_file())
    manifest = "".join(
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(root)}\n" for p in payload
    )
    (root / "manifest-sha256.txt").write_text(manifest)
    tags = [root / name for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt")]
    (root / "tagmanifest-sha256.txt").write_text(
        "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in tags)
    )
    return root


def test_a_bag_is_imported_with_its_users_and_documents(tmp_path):
    records = [record(123, "5", [document(1), document(2, "data.pdf")]), record(124, "6", [document(1)])]
    bag = write_bag(tmp_path / "bag", records)

    out, _ = run("import_eprints", str(bag))

    assert "Documents: 3 files stored, 0 unchanged, 0 left out." in out
    assert [(d.item_id, d.pos, d.file.read()) for d in Document.objects.order_by("item_id", "pos")] == [
        (123, 1, records[0]["documents"][0]["data"]),
        (123, 2, records[0]["documents"][1]["data"]),
        (124, 1, records[1]["documents"][0]["data"]),
    ]
    assert Item.objects.get(pk=124).depositor.username == "pjones"


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda bag: (bag / "data/documents/disk0/00/00/01/23/02/data.pdf").write_bytes(b"altered"),
            "data/documents/disk0/00/00/01/23/02/data.pdf does not match its SHA-256 checksum",
        ),
        (lambda bag: (bag / "data/users.xml").unlink(), "data/users.xml is missing"),
        (lambda bag: (bag / "data/extra.xml").write_text("<x/>"), "data/extra.xml is not in the manifest"),
        (
            lambda bag: (bag / "bag-info.txt").write_text("Bagging-Date: never\n"),
            "bag-info.txt does not match its SHA-256 checksum",
        ),
    ],
)
def test_a_damaged_bag_is_refused_before_anything_is_imported(tmp_path, damage, message):
    bag = write_bag(tmp_path / "bag", [record(123, "5", [document(1), document(2, "data.pdf")])])
    damage(bag)
    with pytest.raises(CommandError, match=f"is not intact, so nothing was imported: .*{message}"):
        run("import_eprints", str(bag))
    assert not Item.objects.exists() and not get_user_model().objects.exists()


def test_a_malformed_users_xml_stops_with_its_line_and_creates_nobody(tmp_path):
    (tmp_path / "users.xml").write_text(USERS.replace("</username>", "</name>", 1), encoding="utf-8")
    (tmp_path / "a.xml").write_bytes(export([record(1, "5")]))
    with pytest.raises(CommandError, match=r"users.xml: the file is not well-formed XML at line 3: "):
        run("import_eprints", str(tmp_path))
    assert not get_user_model().objects.exists() and not Item.objects.exists()


def test_users_xml_given_as_a_file_is_read_before_the_records(tmp_path):
    (tmp_path / "users.xml").write_text(USERS, encoding="utf-8")
    (tmp_path / "a.xml").write_bytes(export([record(1, "6")]))
    run("import_eprints", str(tmp_path / "a.xml"), str(tmp_path / "users.xml"))
    assert Item.objects.get(pk=1).depositor.username == "pjones"
