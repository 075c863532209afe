"""EPrints' addresses keep working after a move (eprints.md §4): each answers here, with a
permanent redirect where our address differs, and a 404 where it names nothing."""

import pytest
from lxml import etree

from eprints_app.enums import CreatorRole, ItemStatus, Security
from eprints_app.models import Creator, Division, Item, Subject
from eprints_app.services.search_index import reindex_item
from eprints_app.views.legacy import unescape_value
from tests.factories import make_document, make_item
from tests.oai_support import NS, error_codes, oai

pytestmark = pytest.mark.django_db


def authored(*people: tuple, status: str = ItemStatus.ARCHIVE, **fields) -> Item:
    item = make_item(creators=0, status=status, **fields)
    for position, (family, given, *orcid) in enumerate(people):
        Creator.objects.create(
            item=item, position=position, family=family, given=given, orcid=orcid[0] if orcid else ""
        )
    return item


def moved(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 301, (url, response.status_code)
    return response["Location"]


# Items and documents


def test_short_item_addresses_lead_to_the_item_page(client):
    item = make_item()
    assert moved(client, f"/{item.pk}") == f"/id/eprint/{item.pk}/"
    assert moved(client, f"/{item.pk}/") == f"/id/eprint/{item.pk}/"
    assert moved(client, f"/id/eprint/{item.pk}") == f"/id/eprint/{item.pk}/"


def test_document_uri_leads_to_the_download_of_that_document(client):
    item = make_item()
    make_document(item, filename="first.pdf")
    second = make_document(item, filename="second paper.pdf")
    location = moved(client, f"/id/document/{second.pk}")
    assert location == f"/id/eprint/{item.pk}/2/second%20paper.pdf"
    assert client.get(location).status_code == 200
    assert moved(client, f"/id/document/{second.pk}/") == location


def test_document_uri_of_a_restricted_document_sends_anonymous_readers_to_log_in(client, editor):
    document = make_document(make_item(), filename="secret-name.pdf", security=Security.STAFFONLY)
    response = client.get(f"/id/document/{document.pk}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "secret-name" not in response["Location"]
    client.force_login(editor)
    assert moved(client, f"/id/document/{document.pk}") == document.get_absolute_url()


@pytest.mark.parametrize("docid", ["999999", "0", "abc", "-1", "99999999999999999999"])
def test_document_uri_of_no_document_is_not_found(client, docid):
    assert client.get(f"/id/document/{docid}").status_code == 404


def test_document_without_a_file_name_leads_to_its_file(client):
    item = make_item()
    document = make_document(item, filename="paper.pdf")
    assert moved(client, f"/id/eprint/{item.pk}/1/") == document.get_absolute_url()
    assert moved(client, f"/{item.pk}/1/") == document.get_absolute_url()
    assert moved(client, f"/{item.pk}/1/paper.pdf") == document.get_absolute_url()
    assert client.get(f"/id/eprint/{item.pk}/2/").status_code == 404
    assert client.get(f"/{item.pk + 1}/1/").status_code == 404


def test_document_of_an_item_not_yet_live_is_not_shown_to_anonymous_readers(client):
    item = make_item(status=ItemStatus.INBOX)
    make_document(item, filename="draft.pdf")
    response = client.get(f"/id/eprint/{item.pk}/1/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# Exports


def test_export_addresses_without_a_file_name_lead_to_the_export(client):
    item = make_item()
    canonical = f"/cgi/export/eprint/{item.pk}/BibTeX/demo-eprint-{item.pk}.bib"
    assert moved(client, f"/cgi/export/eprint/{item.pk}/BibTeX/") == canonical
    assert moved(client, f"/cgi/export/{item.pk}/BibTeX/") == canonical
    assert client.get(canonical).content.decode().startswith("@techreport{")


def test_older_export_address_with_a_file_name_answers_the_export(client):
    item = make_item()
    old = client.get(f"/cgi/export/{item.pk}/RIS/lseresearch-eprint-{item.pk}.ris")
    assert old.status_code == 200
    assert old.content == client.get(f"/cgi/export/eprint/{item.pk}/RIS/demo-eprint-{item.pk}.ris").content


@pytest.mark.parametrize(
    "path", ["/cgi/export/eprint/{pk}/NoSuchFormat/", "/cgi/export/eprint/999999/BibTeX/"]
)
def test_export_address_of_no_format_or_item_is_not_found(client, path):
    item = make_item()
    assert client.get(path.format(pk=item.pk)).status_code == 404


# Browse


def test_grouping_pages_lead_to_the_list_grouped_that_way(client):
    make_item(date="2021")
    assert moved(client, "/view/year/2021.type.html") == "/view/year/2021.html"
    assert moved(client, "/view/year/2021.default.html") == "/view/year/2021.html?group=none"
    assert moved(client, "/view/year/2021.creators_name.html") == "/view/year/2021.html?group=initial"
    assert client.get("/view/year/2021.html?group=initial").status_code == 200


def test_browse_pages_answer_at_eprints_own_addresses(client):
    item = make_item(date="2021")
    item.subjects.add(Subject.objects.create(code="JZ", name="International relations"))
    for url in ["/view/", "/view/year/2021.html", "/view/subjects/JZ.html", "/view/creators/"]:
        assert client.get(url).status_code == 200, url
    assert moved(client, "/view/index.html") == "/view/"
    assert moved(client, "/view/year/index.html") == "/view/year/"
    assert moved(client, "/view/subjects/index.html") == "/view/subjects/"
    assert moved(client, "/view/subjects/JZ.type.html") == "/view/subjects/JZ.html"


def test_escaped_division_code_leads_to_the_division(client):
    division = Division.objects.create(code="sch_gov", name="School of Government")
    make_item(title="Governing", date="2021").divisions.add(division)
    assert moved(client, "/view/divisions/sch=5Fgov.html") == "/view/divisions/sch_gov.html"
    assert (
        moved(client, "/view/divisions/sch=5Fgov.default.html") == "/view/divisions/sch_gov.html?group=none"
    )
    response = client.get("/view/divisions/sch_gov.html")
    assert "Governing" in response.content.decode()


def test_division_year_pages_lead_to_the_division(client):
    division = Division.objects.create(code="sch_gov", name="School of Government")
    make_item(date="2021").divisions.add(division)
    assert moved(client, "/view/divisions/sch=5Fgov/") == "/view/divisions/sch_gov.html"
    assert moved(client, "/view/divisions/sch=5Fgov/2021.html") == "/view/divisions/sch_gov.html"
    assert moved(client, "/view/divisions/sch=5Fgov/index.html") == "/view/divisions/sch_gov.html"
    assert client.get("/view/divisions/nowhere/2021.html").status_code == 404


def test_subject_code_that_ends_like_a_grouping_is_still_its_own_page(client):
    subject = Subject.objects.create(code="Q.type", name="Odd code")
    make_item(title="Oddly filed").subjects.add(subject)
    response = client.get("/view/subjects/Q.type.html")
    assert response.status_code == 200
    assert "Oddly filed" in response.content.decode()


def test_eprints_name_escapes_are_read_as_eprints_writes_them():
    assert unescape_value("Eve=3AMartin_Paul=3A=3A") == "Eve:Martin Paul::"
    assert unescape_value("M=FCller=3AJonas=3A=3A") == "Müller:Jonas::"
    assert unescape_value("==0141o=3Fs") == "Ło?s"
    assert unescape_value("O=27Brien,_Pat-Ann") == "O'Brien, Pat-Ann"


def test_eprints_creator_page_leads_to_the_author_page(client):
    authored(("Eve", "Martin Paul"), title="Open access monographs")
    location = moved(client, "/view/creators/Eve=3AMartin_Paul=3A=3A.html")
    assert location == "/view/creators/eve-martin-paul.html"
    assert "Open access monographs" in client.get(location).content.decode()


def test_eprints_creator_page_with_accents_and_groupings_leads_to_the_author_page(client):
    authored(("Müller", "Jonas"), title="Umlauts")
    assert (
        moved(client, "/view/creators/M=FCller=3AJonas=3A=3A.html") == "/view/creators/m%C3%BCller-jonas.html"
    )
    assert (
        moved(client, "/view/creators/M=FCller=3AJonas=3A=3A.default.html")
        == "/view/creators/m%C3%BCller-jonas.html?group=none"
    )


def test_eprints_creator_page_of_a_person_with_an_orcid_leads_to_their_orcid_page(client):
    authored(("Carberry", "Josiah", "0000-0002-1825-0097"))
    location = moved(client, "/view/creators/Carberry=3AJosiah=3A=3A.html")
    assert location == "/view/creators/0000-0002-1825-0097.html"
    assert client.get(location).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "Nobody=3AKnown=3A=3A",  # no such author
        "Draft=3AOnly=3A=3A",  # an author of a draft alone
        "Editor=3AOnly=3A=3A",  # an editor, not an author
        "=3A=3A=3A",  # no family name
        "Eve=00=3A=3A",  # a NUL
        "==D800=3A=3A",  # half a surrogate pair
    ],
)
def test_eprints_creator_page_of_no_author_is_not_found(client, name):
    authored(("Draft", "Only"), status=ItemStatus.INBOX)
    item = authored(("Someone", "Else"))
    Creator.objects.create(item=item, position=5, family="Editor", given="Only", role=CreatorRole.EDITOR)
    assert client.get(f"/view/creators/{name}.html").status_code == 404


def test_browse_export_leads_to_the_list_export(client):
    authored(("Eve", "Martin Paul"), date="2021")
    location = moved(client, "/cgi/exportview/year/2021/BibTeX/year_2021.bib")
    assert location == "/view/year/2021.html?export=BibTeX"
    assert client.get(location).content.decode().startswith("@techreport{")
    location = moved(
        client, "/cgi/exportview/creators/Eve=3AMartin_Paul=3A=3A/RIS/Eve=3AMartin_Paul=3A=3A.ris"
    )
    assert location == "/view/creators/eve-martin-paul.html?export=RIS"
    assert client.get(location).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/cgi/exportview/year/2021/NoSuchFormat/year_2021.x",
        "/cgi/exportview/year/20x1/BibTeX/x.bib",
        "/cgi/exportview/year/2021",
        "/cgi/exportview/subjects/NOPE/BibTeX/NOPE.bib",
        "/cgi/exportview/types/nosuchtype/BibTeX/x.bib",
        "/cgi/exportview/types/..%2Fsettings/BibTeX/x.bib",
        "/cgi/exportview/people/x/BibTeX/x.bib",
        "/view/types/nosuchtype.type.html",
        "/view/year/20=3F1.html",
        "/view/subjects/NO=5FSUCH.html",
        "/view/creators/Eve=3AMartin_Paul=3A=3A.nosuch.html",
        "/view/subjects/%00.type.html",
        "/view/creators/%00.default.html",
        "/view/creators/%E2%80%AE=3A.html",
        "/view/divisions/%00/2021.html",
        "/cgi/exportview/creators/%00/BibTeX/x.bib",
        "/cgi/exportview/subjects/..%2F..%2Fsettings/BibTeX/x.bib",
        "/id/eprint/1/0/",
        "/id/document/1x",
    ],
)
def test_unknown_browse_addresses_are_not_found(client, path):
    make_item(date="2021")
    assert client.get(path).status_code == 404


# Staff screens, search, latest, OAI-PMH


@pytest.mark.parametrize("screen", ["EPrint::View", "EPrint::Summary", "EPrint::Edit", "EPrint::Details"])
def test_eprints_record_screens_lead_to_the_actions_view(client, screen):
    item = make_item()
    location = moved(client, f"/cgi/users/home?screen={screen}&eprintid={item.pk}")
    assert location == f"/id/eprint/{item.pk}/actions/"


@pytest.mark.parametrize(
    "query",
    ["screen=EPrint::Summary&eprintid=0", "screen=EPrint::Edit&eprintid=", "screen=EPrint::Nope&eprintid=1"],
)
def test_eprints_record_screens_with_bad_arguments_are_not_found(client, query):
    assert client.get(f"/cgi/users/home?{query}").status_code == 404


def test_eprints_search_addresses_answer(client):
    reindex_item(make_item(title="Repositories in practice").pk)
    query = "q=repositories&_action_search=Search&_order=bytitle&basic_srchtype=ALL&_satisfyall=ALL"
    assert moved(client, f"/cgi/search/archive/simple?{query}") == (
        "/cgi/search/simple?q=repositories&basic_srchtype=ALL"
    )
    response = client.get(f"/cgi/search/simple?{query}")
    assert response.status_code == 200
    assert "Repositories in practice" in response.content.decode()
    assert moved(client, "/cgi/search/archive/advanced") == "/cgi/search/advanced"


def test_latest_additions_answer(client):
    make_item(title="Just deposited")
    assert "Just deposited" in client.get("/cgi/latest").content.decode()


@pytest.mark.parametrize("endpoint", ["/cgi/oai2", "/perl/oai2", "/oai"])
def test_oai_pmh_answers_at_eprints_addresses(client, endpoint):
    response = client.get(endpoint, {"verb": "Identify"})
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    assert root.findtext(".//oai:baseURL", namespaces=NS) == "http://127.0.0.1:8000/cgi/oai2"


def test_oai_identifiers_keep_the_old_repositorys_id(client, settings):
    settings.REPOSITORY_ID = "eprints.lse.ac.uk"
    item = make_item()
    identifier = f"oai:eprints.lse.ac.uk:{item.pk}"
    root = oai(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert root.findtext(".//oai:header/oai:identifier", namespaces=NS) == identifier
    listed = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert [h.text for h in listed.findall(".//oai:header/oai:identifier", NS)] == [identifier]
    identify = oai(client, verb="Identify")
    assert identify.findtext(".//id:repositoryIdentifier", namespaces=NS) == "eprints.lse.ac.uk"
    refused = oai(client, verb="GetRecord", identifier=f"oai:demo:{item.pk}", metadataPrefix="oai_dc")
    assert error_codes(refused) == ["idDoesNotExist"]
