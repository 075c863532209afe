"""The import_ep3xml management command: counts printed, clear errors, nothing half-written."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from eprints_app.models import Item, Subject

pytestmark = pytest.mark.django_db

REFERENCE = Path("/work/shared/reference/eprints-output/export_1_XML.xml")


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_ep3xml", *args, stdout=out)
    return out.getvalue()


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference files are not here")
def test_import_prints_counts_and_what_was_not_taken_over():
    Subject.objects.create(code="JZ", name="JZ International relations")
    output = run(str(REFERENCE), "--keep-ids")
    assert output == (
        "Imported 1 item.\n"
        "1 item kept the eprint ID of the file.\n"
        "Skipped 1 document: files are not fetched.\n"
        "  eprint 1: document 1 (Ahmar__changing-dynamics-of-pakistan-us--published.pdf) at "
        "http://127.0.0.1:8081/id/eprint/1/1/Ahmar__changing-dynamics-of-pakistan-us--published.pdf\n"
        "Unknown division codes, not assigned:\n"
        "  lse (eprint 1)\n"
    )
    assert Item.objects.get(pk=1).title.startswith("Changing dynamics")


def test_renumbered_records_are_listed(tmp_path):
    existing = Item.objects.create(type="article", title="Already here")
    source = tmp_path / "one.xml"
    source.write_text(
        "<eprints xmlns='http://eprints.org/ep2/data/2.0'><eprint>"
        f"<eprintid>{existing.pk}</eprintid><type>article</type><title>New</title>"
        "<rights>All rights reserved</rights></eprint></eprints>",
        encoding="utf-8",
    )
    output = run(str(source), "--keep-ids")
    new = Item.objects.get(title="New")
    assert output == (
        "Imported 1 item.\n"
        "0 items kept the eprint ID of the file.\n"
        f"  eprint {existing.pk} is now eprint {new.pk}\n"
        "Fields not imported: rights (1)\n"
    )


def test_malformed_xml_is_a_command_error_and_writes_nothing(tmp_path):
    source = tmp_path / "broken.xml"
    source.write_text("<eprints xmlns='http://eprints.org/ep2/data/2.0'><eprint><title>x</eprint>")
    with pytest.raises(
        CommandError, match=r"broken.xml: The file is not well-formed XML: .* Nothing was imported."
    ):
        run(str(source))
    assert Item.objects.count() == 0


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nothing.xml: No such file or directory."):
        run(str(tmp_path / "nothing.xml"))


def test_invalid_record_is_a_command_error_and_earlier_records_are_rolled_back(tmp_path):
    source = tmp_path / "two.xml"
    source.write_text(
        "<eprints xmlns='http://eprints.org/ep2/data/2.0'>"
        "<eprint><eprintid>1</eprintid><type>article</type><title>Fine</title></eprint>"
        "<eprint><eprintid>2</eprintid><type>article</type><title>T</title>"
        f"<volume>{'9' * 40}</volume></eprint>"
        "</eprints>",
        encoding="utf-8",
    )
    with pytest.raises(
        CommandError, match=r"eprint 2 cannot be imported \(volume: .*\)\. Nothing was imported\."
    ):
        run(str(source))
    assert Item.objects.count() == 0
