"""manage.py export_repository DIR: the whole repository as a BagIt bag (RFC 8493) that
``import_eprints DIR`` reads back, checked with the ``bagit`` library and against EPrints' XML."""

import hashlib
import io
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import bagit
import boto3
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from moto.server import ThreadedMotoServer

from eprints_app.enums import ItemStatus, Security
from eprints_app.exports import REGISTRY, oai_formats, public_formats
from eprints_app.exports.ep3 import EP3_NS
from eprints_app.models import Creator, Division, Document, Item, Subject
from eprints_app.roles import ADMINISTRATOR, DEPOSITOR, EDITOR
from tests.factories import make_document, make_item, make_user, pdf_bytes
from tests.s3_support import CREDENTIALS, use_bucket

pytestmark = pytest.mark.django_db

NS = {"ep": EP3_NS}
REFERENCE = Path("/work/shared/reference/eprints-output/export_1_XML.xml")
if not REFERENCE.exists():  # CI lays shared/ beside the clone
    REFERENCE = Path(__file__).resolve().parents[2] / "shared/reference/eprints-output/export_1_XML.xml"


def export(directory: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("export_repository", str(directory), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def tree(eprintid: int) -> str:
    """EPrints' folders of an eprint: 123 -> 00/00/01/23."""
    digits = f"{eprintid:08d}"
    return "/".join(digits[i : i + 2] for i in range(0, 8, 2))


def payload_files(bag: Path) -> dict[str, bytes]:
    return {str(p.relative_to(bag)): p.read_bytes() for p in sorted((bag / "data").rglob("*")) if p.is_file()}


@pytest.fixture
def repository(db):
    """Items of every status, with depositors of every role, and files open and restricted."""
    dora = make_user("dora", role=DEPOSITOR, email="dora@example.org", first_name="Dora", last_name="Deposit")
    eddie = make_user("eddie", role=EDITOR, email="eddie@example.org")
    make_user("nobody", role=DEPOSITOR)  # deposited nothing
    live = make_item(title="Live with two files", depositor=dora, date="2021")
    make_document(live, filename="paper.pdf")
    make_document(live, content=b"a,b\n1,2\n", filename="data.csv", security=Security.STAFFONLY)
    draft = make_item(title="A draft", status=ItemStatus.INBOX, depositor=eddie)
    make_document(draft, content=pdf_bytes("A draft"), filename="draft.pdf")
    make_item(title="Under review", status=ItemStatus.BUFFER, depositor=dora)
    make_item(title="Retired", status=ItemStatus.DELETION)
    return live, draft


def test_bag_is_valid_to_the_bagit_library(tmp_path, repository):
    summary = export(tmp_path / "bag")
    assert summary == (
        f"Exported 4 records, 2 users and 3 files ({sum(map(len, payload_files(tmp_path / 'bag').values()))} "
        f"bytes of payload) to the bag {tmp_path / 'bag'}.\n"
    )
    bag = bagit.Bag(str(tmp_path / "bag"))
    bag.validate()  # every checksum, Payload-Oxum and completeness
    assert bag.version_info == (1, 0)
    assert bag.info["Source-Organization"] == "Demo Research Online"
    assert bag.info["Bagging-Date"] == date.today().isoformat()
    assert bag.info["Bag-Count"] == "1 of 1"
    assert bag.info["External-Identifier"] == "http://127.0.0.1:8000"
    assert set(bag.payload_files()) == {
        "data/users.xml",
        "data/subjects",
        "data/divisions",
        "data/eprints.xml",
        f"data/documents/disk0/{tree(repository[0].pk)}/01/paper.pdf",
        f"data/documents/disk0/{tree(repository[0].pk)}/02/data.csv",
        f"data/documents/disk0/{tree(repository[1].pk)}/01/draft.pdf",
    }


def test_manifests_hold_the_sha256_of_every_file(tmp_path, repository):
    export(tmp_path / "bag")
    bag = tmp_path / "bag"
    files = payload_files(bag)
    manifest = dict(
        reversed(line.split("  ", 1)) for line in (bag / "manifest-sha256.txt").read_text().splitlines()
    )
    assert manifest == {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
    oxum = (bag / "bag-info.txt").read_text().split("Payload-Oxum: ")[1].split("\n")[0]
    assert oxum == f"{sum(map(len, files.values()))}.{len(files)}"
    tags = dict(
        reversed(line.split("  ", 1)) for line in (bag / "tagmanifest-sha256.txt").read_text().splitlines()
    )
    assert tags == {
        name: hashlib.sha256((bag / name).read_bytes()).hexdigest()
        for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt")
    }
    assert (bag / "bagit.txt").read_text() == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


def test_documents_tree_holds_each_stored_file_where_eprints_keeps_it(tmp_path):
    item = make_item(pk=114516)
    document = make_document(item, content=pdf_bytes("The seed"), filename="Ahmar changing dynamics.pdf")
    export(tmp_path / "bag")
    copied = tmp_path / "bag/data/documents/disk0/00/11/45/16/01/Ahmar changing dynamics.pdf"
    with document.file.open("rb") as stored:
        assert copied.read_bytes() == stored.read() == pdf_bytes("The seed")


def test_records_are_our_ep3_xml_export_of_every_status(tmp_path, repository):
    export(tmp_path / "bag")
    written = (tmp_path / "bag/data/eprints.xml").read_text(encoding="utf-8")
    everything = list(Item.objects.with_parts().order_by("pk"))
    assert written == REGISTRY["XML"].render(everything)
    root = etree.fromstring(written.encode())
    assert root.tag == f"{{{EP3_NS}}}eprints"
    statuses = [e.text for e in root.findall("ep:eprint/ep:eprint_status", NS)]
    assert statuses == ["archive", "inbox", "buffer", "deletion"]
    files = root.findall(".//ep:document/ep:files/ep:file", NS)
    assert [f.findtext("ep:filename", namespaces=NS) for f in files] == ["paper.pdf", "data.csv", "draft.pdf"]
    live = repository[0]
    first = files[0]
    assert first.findtext("ep:hash", namespaces=NS) == live.documents.get(pos=1).sha256
    assert first.findtext("ep:hash_type", namespaces=NS) == "SHA-256"
    assert first.findtext("ep:url", namespaces=NS) == f"http://127.0.0.1:8000/id/eprint/{live.pk}/1/paper.pdf"


def element_paths(root: etree._Element) -> set[str]:
    """Every element's path of local names, list members collapsed: eprint/documents/document/..."""
    return {
        "/".join(etree.QName(e).localname for e in [*reversed(list(node.iterancestors())), node][1:])
        for node in root.iter(etree.Element)
    }


def test_records_have_the_element_shapes_eprints_writes(tmp_path, repository):
    export(tmp_path / "bag")
    ours = etree.parse(str(tmp_path / "bag/data/eprints.xml")).getroot()
    theirs = etree.parse(str(REFERENCE)).getroot()
    assert etree.QName(ours).namespace == etree.QName(theirs).namespace == EP3_NS
    # What we write is what EPrints writes, in the same places ("refereed" is EPrints' field too,
    # TRUE or FALSE when set; the reference record leaves it unset).
    assert element_paths(ours) - element_paths(theirs) == {"eprint/refereed"}


def test_users_are_every_depositor_as_eprints_user_xml(tmp_path, repository):
    make_user("ada", role=ADMINISTRATOR)
    Item.objects.filter(title="Retired").update(depositor=make_user("ada2", role=ADMINISTRATOR))
    export(tmp_path / "bag")
    root = etree.parse(str(tmp_path / "bag/data/users.xml")).getroot()
    assert root.tag == f"{{{EP3_NS}}}users"
    users = {u.findtext("ep:username", namespaces=NS): u for u in root.findall("ep:user", NS)}
    assert sorted(users) == ["ada2", "dora", "eddie"]
    dora = users["dora"]
    assert dora.findtext("ep:email", namespaces=NS) == "dora@example.org"
    assert dora.findtext("ep:name/ep:family", namespaces=NS) == "Deposit"
    assert dora.findtext("ep:name/ep:given", namespaces=NS) == "Dora"
    assert [users[name].findtext("ep:usertype", namespaces=NS) for name in ("ada2", "dora", "eddie")] == [
        "admin",
        "user",
        "editor",
    ]
    # Each record's <userid> names its depositor's <userid>.
    records = etree.parse(str(tmp_path / "bag/data/eprints.xml")).getroot()
    deposited = {
        r.findtext("ep:title", namespaces=NS): r.findtext("ep:userid", namespaces=NS) for r in records
    }
    assert deposited["Live with two files"] == dora.findtext("ep:userid", namespaces=NS)


def test_a_folder_that_is_not_empty_is_refused(tmp_path, repository):
    (tmp_path / "bag").mkdir()
    (tmp_path / "bag" / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="is not empty: give a new or empty folder"):
        export(tmp_path / "bag")
    assert [p.name for p in (tmp_path / "bag").iterdir()] == ["notes.txt"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(CommandError, match="is a file"):
        export(tmp_path / "file")


def test_an_empty_folder_is_filled(tmp_path, repository):
    (tmp_path / "bag").mkdir()
    export(tmp_path / "bag")
    bagit.Bag(str(tmp_path / "bag")).validate()


@pytest.mark.parametrize("damage", ["missing", "altered"])
def test_a_missing_or_altered_file_stops_the_export_and_leaves_nothing(tmp_path, repository, damage):
    document = repository[1].documents.get()
    if damage == "missing":
        document.file.storage.delete(document.file.name)
    else:
        Path(document.file.path).write_bytes(b"%PDF-1.4 not the same")
    with pytest.raises(CommandError) as refused:
        export(tmp_path / "out" / "bag")
    assert f"eprint {document.item_id}, document 1: its file {document.file.name}" in str(refused.value)
    assert "manage.py check_fixity" in str(refused.value)
    assert "Nothing was written" in str(refused.value)
    assert list((tmp_path / "out").iterdir()) == []


def test_progress_bar_counts_records(tmp_path, repository):
    err = io.StringIO()
    call_command("export_repository", str(tmp_path / "bag"), "--progress", stdout=io.StringIO(), stderr=err)
    assert err.getvalue().endswith("[" + "#" * 30 + "] 4/4\n")


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_files_in_a_bucket_are_copied_into_the_bag(tmp_path, settings, s3_endpoint):
    use_bucket(settings, s3_endpoint, "export-test")
    data = pdf_bytes("Kept in a bucket", pages=6)
    item = make_item()
    document = make_document(item, content=data, filename="bucket.pdf")
    bucket = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)
    assert bucket.get_object(Bucket="export-test", Key=document.file.name)["Body"].read() == data
    export(tmp_path / "bag")
    bagit.Bag(str(tmp_path / "bag")).validate()
    assert (tmp_path / f"bag/data/documents/disk0/{tree(item.pk)}/01/bucket.pdf").read_bytes() == data


# The round trip: export, wipe, import into the empty database, and the repository answers the same.


def public_addresses() -> list[str]:
    """Every page, export, OAI-PMH record and download a reader or harvester may ask for."""
    urls = ["/view/year/2021.html", "/view/subjects/JZ.html", "/view/divisions/lse.html", "/cgi/latest"]
    urls += [f"/cgi/oai2?verb=ListRecords&metadataPrefix={prefix}" for prefix in oai_formats()]
    for item in Item.objects.with_parts().order_by("pk"):
        if item.is_live:
            urls.append(item.get_absolute_url())
            urls += [fmt.url(item) for fmt in public_formats()]
            urls += [document.get_absolute_url() for document in item.document_list]
        urls += [
            f"/cgi/oai2?verb=GetRecord&identifier=oai:demo:{item.pk}&metadataPrefix={prefix}"
            for prefix in oai_formats()
        ]
    return urls


def answers(client, urls: list[str]) -> dict[str, tuple[int, bytes]]:
    cache.clear()
    found = {}
    for url in urls:
        response = client.get(url)
        body = response.getvalue() if response.streaming else response.content
        # The moment of the answer is the answer's own (OAI-PMH's responseDate, METS' CREATEDATE).
        found[url] = (response.status_code, re.sub(rb"<responseDate>[^<]*<|CREATEDATE=\"[^\"]*\"", b"", body))
    return found


def every_record_as_xml() -> str:
    """Every record of every status, as staff export it (EP3 XML), with each <userid> given as
    the depositor's user name: a new database numbers its users afresh."""
    records = REGISTRY["XML"].render(list(Item.objects.with_parts().order_by("pk")))
    names = {str(user.pk): user.username for user in get_user_model().objects.all()}
    return re.sub(r"<userid>([0-9]+)<", lambda m: f"<userid>{names[m[1]]}<", records)


def wipe(media_root: Path) -> None:
    """An empty database, as ``migrate`` leaves it (the roles' groups stay), and no files."""
    Item.objects.update(succeeds=None)
    Item.objects.all().delete()
    for model in (Subject, Division):
        while model.objects.exists():
            model.objects.filter(children__isnull=True).delete()
    get_user_model().objects.all().delete()
    for model in (Item, Creator, Document):
        model.history.all().delete()
    shutil.rmtree(media_root, ignore_errors=True)
    cache.clear()


@dataclass
class RoundTrip:
    addresses: list[str]
    before: dict[str, tuple[int, bytes]]
    after: dict[str, tuple[int, bytes]]
    records_before: str
    records_after: str


@pytest.fixture
def round_trip(client, seed, repository, tmp_path, media_root) -> RoundTrip:
    """The demo and the repository fixture's records read, exported, wiped, imported and read again."""
    # EPrints keeps times to the second, and so does its XML: so do these records.
    for item in Item.objects.all():
        times = ("date_deposited", "last_modified", "status_changed")
        values = {name: getattr(item, name).replace(microsecond=0) for name in times if getattr(item, name)}
        Item.objects.filter(pk=item.pk).update(**values)
    addresses = public_addresses()
    before = answers(client, addresses)
    records_before = every_record_as_xml()

    export(tmp_path / "bag")
    wipe(media_root)
    assert not Item.objects.exists() and not Subject.objects.exists() and not list(media_root.glob("*"))

    call_command("import_subjects", str(tmp_path / "bag/data/subjects"), stdout=io.StringIO())
    call_command("import_subjects", str(tmp_path / "bag/data/divisions"), "--divisions", stdout=io.StringIO())
    call_command("import_eprints", str(tmp_path / "bag"), stdout=io.StringIO(), stderr=io.StringIO())
    call_command("reindex_search", verbosity=0)
    assert public_addresses() == addresses
    return RoundTrip(addresses, before, answers(client, addresses), records_before, every_record_as_xml())


def test_pages_exports_records_and_files_are_the_same_after_export_and_import(round_trip):
    """Item pages, every public export, browse lists, OAI-PMH records and lists, and every file."""
    assert len(round_trip.addresses) > 150
    changed = [url for url in round_trip.addresses if round_trip.after[url] != round_trip.before[url]]
    assert changed == []


def test_every_record_of_every_status_is_the_same_after_export_and_import(round_trip):
    """EPrints' document IDs, revision numbers and file times included."""
    assert round_trip.records_after == round_trip.records_before
    assert (
        "<eprint_status>inbox</eprint_status>" in round_trip.records_before
        and "<eprint_status>deletion</eprint_status>" in round_trip.records_before
    )


def test_records_are_read_in_batches_not_one_query_each(tmp_path):
    def queries_for_export(directory: Path) -> int:
        with CaptureQueriesContext(connection) as queries:
            export(directory)
        return len(queries)

    for _ in range(3):
        make_document(make_item(creators=2))
    few = queries_for_export(tmp_path / "few")
    for _ in range(12):
        make_document(make_item(creators=2))
    assert queries_for_export(tmp_path / "more") == few
