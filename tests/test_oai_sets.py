"""OAI-PMH sets (protocol §4.6, §2.7.2): ListSets and selective harvesting by set."""

import datetime

import pytest
from django.utils import timezone

from eprints_app.enums import ItemStatus, Security
from eprints_app.models import Division, Subject
from eprints_app.services.status import change_status
from tests.factories import make_document, make_item
from tests.oai_support import NS, echoed, error_codes, header_identifiers, oai

pytestmark = pytest.mark.django_db


@pytest.fixture
def trees():
    j = Subject.objects.create(code="J", name="J Political Science")
    jz = Subject.objects.create(code="JZ", name="JZ International relations", parent=j)
    h = Subject.objects.create(code="H", name="H Social Sciences")
    faculty = Division.objects.create(code="fac-soc", name="Faculty of Social Sciences")
    department = Division.objects.create(code="dept-ir", name="International Relations", parent=faculty)
    return {"J": j, "JZ": jz, "H": h, "fac-soc": faculty, "dept-ir": department}


def in_set(client, spec: str) -> list[str]:
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)
    if error_codes(root) == ["noRecordsMatch"]:
        return []
    assert echoed(root)["set"] == spec
    return header_identifiers(root)


def oai_id(item) -> str:
    return f"oai:demo:{item.pk}"


def test_list_sets_names_every_type_status_subject_division_and_open_access(client, trees):
    root = oai(client, verb="ListSets")
    sets = {
        s.findtext("oai:setSpec", namespaces=NS): s.findtext("oai:setName", namespaces=NS)
        for s in root.iterfind(".//oai:set", NS)
    }
    assert sets["types:article"] == "Item Type = Article"
    assert sets["status:pub"] == "Status = Published"
    assert sets["subjects:J"] == "Subject = J Political Science"
    assert sets["subjects:J:JZ"] == "Subject = J Political Science > JZ International relations"
    assert (
        sets["divisions:fac-soc:dept-ir"] == "Division = Faculty of Social Sciences > International Relations"
    )
    assert sets["driver"] == "Open Access (DRIVER)"
    assert {"types", "status", "subjects", "divisions"} <= sets.keys()
    assert len(sets) == 5 + 18 + 4 + 3 + 2


def test_an_item_in_a_subclass_is_in_every_set_above_it(client, trees):
    in_jz, in_j, in_h = make_item(), make_item(), make_item()
    in_jz.subjects.add(trees["JZ"])
    in_j.subjects.add(trees["J"])
    in_h.subjects.add(trees["H"])
    make_item()  # no subject
    assert in_set(client, "subjects:J:JZ") == [oai_id(in_jz)]
    assert in_set(client, "subjects:J") == [oai_id(in_jz), oai_id(in_j)]
    assert in_set(client, "subjects") == [oai_id(in_jz), oai_id(in_j), oai_id(in_h)]
    assert in_set(client, "subjects:JZ") == []


def test_a_subject_code_that_prefixes_another_is_not_its_parent(client, trees):
    jzz = Subject.objects.create(code="JZZ", name="Not under JZ", parent=trees["J"])
    item = make_item()
    item.subjects.add(jzz)
    assert in_set(client, "subjects:J:JZ") == []
    assert in_set(client, "subjects:J:JZZ") == [oai_id(item)]


def test_divisions_are_hierarchical_too(client, trees):
    item = make_item()
    item.divisions.add(trees["dept-ir"])
    assert in_set(client, "divisions:fac-soc") == [oai_id(item)]
    assert in_set(client, "divisions:fac-soc:dept-ir") == [oai_id(item)]
    assert in_set(client, "divisions") == [oai_id(item)]


def test_types_and_publication_status(client):
    article = make_item(type="article", publication="Journal", ispublished="pub")
    report = make_item(ispublished="inpress")
    unstated = make_item()
    assert in_set(client, "types:article") == [oai_id(article)]
    assert in_set(client, "types:monograph") == [oai_id(report), oai_id(unstated)]
    assert in_set(client, "types") == [oai_id(article), oai_id(report), oai_id(unstated)]
    assert in_set(client, "status:pub") == [oai_id(article)]
    assert in_set(client, "status") == [oai_id(article), oai_id(report)]
    assert in_set(client, "types:thesis") == []


def test_open_access_set_holds_items_with_a_public_unembargoed_document(client):
    today = timezone.localdate()
    open_item, staff_only, embargoed, embargo_over, no_files = (make_item() for _ in range(5))
    make_document(open_item)
    make_document(staff_only, security=Security.STAFFONLY)
    make_document(embargoed, date_embargo=today + datetime.timedelta(days=1))
    make_document(embargo_over, security=Security.STAFFONLY, date_embargo=today)
    assert in_set(client, "driver") == [oai_id(open_item), oai_id(embargo_over)]


def test_header_set_specs_match_the_set_filters(client, trees):
    item = make_item(type="article", publication="Journal", ispublished="pub")
    item.subjects.add(trees["JZ"])
    item.divisions.add(trees["dept-ir"])
    make_document(item)
    root = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(item))
    specs = [s.text for s in root.iterfind(".//oai:header/oai:setSpec", NS)]
    assert specs == ["types:article", "status:pub", "subjects:J:JZ", "divisions:fac-soc:dept-ir", "driver"]
    for spec in specs:
        assert in_set(client, spec) == [oai_id(item)]


def test_deleted_records_stay_in_their_sets(client, trees):
    item = make_item()
    item.subjects.add(trees["JZ"])
    change_status(item, ItemStatus.DELETION)
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="subjects:J")
    assert root.find(".//oai:header", NS).get("status") == "deleted"


@pytest.mark.parametrize(
    "spec", ["types:nonsense", "status:draft", "colours", "colours:red", "types:article:x"]
)
def test_an_unknown_set_matches_no_records(client, spec):
    make_item(type="article", publication="Journal")
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc", set=spec)
    assert error_codes(root) == ["noRecordsMatch"]
    assert echoed(root)["set"] == spec


@pytest.mark.parametrize("spec", ["types:", ":types", "types::article", "types article", "typés", "a/b"])
def test_a_malformed_set_spec_is_a_bad_argument(client, spec):
    make_item()
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc", set=spec)
    assert error_codes(root) == ["badArgument"]
    assert echoed(root) == {}
