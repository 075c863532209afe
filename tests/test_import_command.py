"""What import_eprints prints for EPrints' real exports: counts, headings made, fields kept aside."""

from pathlib import Path

import pytest

from eprints_app.models import Item, Subject
from tests.import_support import run

pytestmark = pytest.mark.django_db

REFERENCE = Path("/work/shared/reference")
needs_reference = pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference files are not here")


def summary(out: str) -> list[str]:
    """The output without the first line's timing."""
    first, *rest = out.splitlines()
    return [first.split(" in ")[0] + " …" + first.split(")", 1)[1], *rest]


@needs_reference
def test_the_seed_export_imports_cleanly_and_reports_what_it_made():
    Subject.objects.create(code="JZ", name="JZ International relations")
    out, _ = run("import_eprints", str(REFERENCE / "eprints-output" / "export_1_XML.xml"))
    assert summary(out) == [
        "Imported 1 record …: 1 new, 0 updated, 0 unchanged.",
        "Documents: 0 files stored, 0 unchanged, 1 left out.",
        "  eprint 1: document 1 (Ahmar__changing-dynamics-of-pakistan-us--published.pdf): its file is not "
        "embedded (give --documents DIR or --fetch)",
        "Created division headings, named by their codes (load their names with import_subjects):",
        "  lse (eprint 1)",
    ]
    assert Item.objects.get(pk=1).title.startswith("Changing dynamics")


@needs_reference
def test_both_sample_repositories_import_cleanly_and_list_their_local_fields():
    samples = sorted(str(path) for path in (REFERENCE / "ep3-samples").glob("*.xml"))
    out, _ = run("import_eprints", *samples)
    assert summary(out)[0] == "Imported 2 records …: 2 new, 0 updated, 0 unchanged."
    assert (
        "Fields this repository does not have, kept as extra data: artists (1), browse_authors (1), "
        "cat_level (1), collection (1), contributors (1), copyright_holders (1), designation (1), "
        "issns (1), kw (1), language (1), local_group (1), physical_copy (1), publishers (1), "
        "related_url (2), rights (1), type_pri (1), workflow_type (1)"
    ) in out
    assert sorted(Item.objects.values_list("pk", flat=True)) == [25612, 25792]
    again, _ = run("import_eprints", *samples)
    assert summary(again)[0] == "Imported 2 records …: 0 new, 0 updated, 2 unchanged."
