"""FAIR Signposting: the item page's Link header, the downloads' way back, and the linkset."""

import json

import pytest
from requests.utils import parse_header_links

from eprints_app.enums import ItemStatus, Security
from eprints_app.exports import public_formats
from eprints_app.metadata.signposting import MAX_HEADER_LINKS, UNSPECIFIC_TYPES
from eprints_app.models import Creator
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

BASE = "https://eprints.example.ac.uk"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE


def links(response) -> list[tuple[str, str, str]]:
    """The Link header as (rel, url, type) triples, in order."""
    return [(link["rel"], link["url"], link.get("type", "")) for link in parse_header_links(response["Link"])]


def records(item) -> list[tuple[str, str]]:
    """(URL, type) of the public export formats that have a media type of their own."""
    found = [(f"{BASE}{fmt.url(item)}", fmt.content_type.split(";")[0]) for fmt in public_formats()]
    return [(url, media_type) for url, media_type in found if media_type not in UNSPECIFIC_TYPES]


def describedby(item) -> list[tuple[str, str, str]]:
    return [("describedby", url, media_type) for url, media_type in records(item)]


def test_seed_page_link_header_has_every_signpost(client, seed):
    response = client.get("/id/eprint/114516/")
    assert links(response) == [
        ("cite-as", f"{BASE}/id/eprint/114516", ""),
        ("type", "https://schema.org/Report", ""),
        ("type", "https://schema.org/AboutPage", ""),
        ("linkset", f"{BASE}/id/eprint/114516/linkset", "application/linkset+json"),
        (
            "item",
            f"{BASE}/id/eprint/114516/1/Ahmar__changing-dynamics-of-pakistan-us--published.pdf",
            "application/pdf",
        ),
        *describedby(seed),
    ]


def test_describedby_offers_the_metadata_formats_a_harvester_can_tell_apart(client, seed):
    found = links(client.get("/id/eprint/114516/"))
    types = [media_type for rel, _, media_type in found if rel == "describedby"]
    assert {"application/x-bibtex", "application/x-research-info-systems"} <= set(types)
    assert not set(types) & UNSPECIFIC_TYPES
    assert len(types) == len(set(types))


def test_link_header_names_licence_open_files_only_and_orcid_authors(client, seed):
    # 114522: CC BY; public PDF, registered-only PDF, embargoed PDF, public text; one ORCID of three.
    found = links(client.get("/id/eprint/114522/"))
    assert ("license", "https://creativecommons.org/licenses/by/4.0/", "") in found
    assert [link for link in found if link[0] == "item"] == [
        (
            "item",
            f"{BASE}/id/eprint/114522/1/Okafor__household-energy-prices--published.pdf",
            "application/pdf",
        ),
        ("item", f"{BASE}/id/eprint/114522/4/household-energy-survey-summary.txt", "text/plain"),
    ]
    assert [link for link in found if link[0] == "author"] == [
        ("author", "https://orcid.org/0000-0002-1825-0097", "")
    ]


def test_type_link_follows_the_item_type(client, seed):
    found = links(client.get("/id/eprint/114519/"))
    assert [url for rel, url, _ in found if rel == "type"] == [
        "https://schema.org/Thesis",
        "https://schema.org/AboutPage",
    ]


def test_cite_as_resolves_to_the_item_page(client, seed):
    (cite_as,) = [url for rel, url, _ in links(client.get("/id/eprint/114516/")) if rel == "cite-as"]
    response = client.get(cite_as.removeprefix(BASE))
    assert (response.status_code, response["Location"]) == (301, "/id/eprint/114516/")


def test_header_is_capped_and_leaves_a_relation_that_does_not_fit_to_the_linkset(client):
    item = make_item()
    for n in range(MAX_HEADER_LINKS):
        make_document(item, content=b"x", filename=f"part{n}.txt")
    found = links(client.get(f"/id/eprint/{item.pk}/"))
    assert len(found) <= MAX_HEADER_LINKS
    assert [rel for rel, _, _ in found if rel == "item"] == []  # all or none, never a part
    assert ("linkset", f"{BASE}/id/eprint/{item.pk}/linkset", "application/linkset+json") in found
    landing = client.get(f"/id/eprint/{item.pk}/linkset").json()["linkset"][0]
    assert len(landing["item"]) == MAX_HEADER_LINKS


def test_many_authors_leave_the_header_before_the_files_do(client):
    item = make_item(creators=0)
    for n in range(MAX_HEADER_LINKS):
        Creator.objects.create(item=item, position=n, family=f"F{n}", orcid="0000-0002-1825-0097")
    make_document(item)
    rels = [rel for rel, _, _ in links(client.get(f"/id/eprint/{item.pk}/"))]
    assert "item" in rels and "describedby" in rels and "author" not in rels


def test_link_header_is_ascii_for_non_latin_file_names(client):
    item = make_item()
    make_document(item, content=b"x", filename="Müller 報告.txt")
    header = client.get(f"/id/eprint/{item.pk}/")["Link"]
    assert header.isascii()
    assert f"<{BASE}/id/eprint/{item.pk}/1/M%C3%BCller%20%E5%A0%B1%E5%91%8A.txt>" in header


# Downloads


def test_open_download_links_back_to_its_landing_page(client, seed):
    response = client.get("/id/eprint/114516/1/Ahmar__changing-dynamics-of-pakistan-us--published.pdf")
    assert response.status_code == 200
    assert links(response) == [("collection", f"{BASE}/id/eprint/114516/", "text/html")]


def test_download_of_an_item_not_yet_live_has_no_collection_link(client, depositor):
    document = make_document(make_item(status=ItemStatus.INBOX, depositor=depositor))
    client.force_login(depositor)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert "Link" not in response


# Linkset


def test_seed_linkset_is_rfc_9264_json_with_every_link(client, seed):
    response = client.get("/id/eprint/114516/linkset")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/linkset+json"
    landing = f"{BASE}/id/eprint/114516/"
    back = [{"href": landing, "type": "text/html"}]
    pdf = f"{BASE}/id/eprint/114516/1/Ahmar__changing-dynamics-of-pakistan-us--published.pdf"
    assert json.loads(response.content) == {
        "linkset": [
            {
                "anchor": landing,
                "cite-as": [{"href": f"{BASE}/id/eprint/114516"}],
                "type": [{"href": "https://schema.org/Report"}, {"href": "https://schema.org/AboutPage"}],
                "item": [{"href": pdf, "type": "application/pdf"}],
                "describedby": [{"href": url, "type": media_type} for url, media_type in records(seed)],
            },
            {"anchor": pdf, "collection": back},
            *(
                {"anchor": url, "describes": [{"href": landing, "type": "text/html"}]}
                for url, _ in records(seed)
            ),
        ]
    }


def test_linkset_leaves_out_restricted_files(client, seed):
    landing = client.get("/id/eprint/114522/linkset").json()["linkset"][0]
    assert [target["href"].rsplit("/", 1)[1] for target in landing["item"]] == [
        "Okafor__household-energy-prices--published.pdf",
        "household-energy-survey-summary.txt",
    ]
    assert landing["license"] == [{"href": "https://creativecommons.org/licenses/by/4.0/"}]
    assert landing["author"] == [{"href": "https://orcid.org/0000-0002-1825-0097"}]


@pytest.mark.parametrize("status", [ItemStatus.INBOX, ItemStatus.BUFFER, ItemStatus.DELETION])
def test_linkset_of_an_item_that_is_not_live_is_not_found(client, status):
    item = make_item(status=status)
    make_document(item, security=Security.PUBLIC)
    assert client.get(f"/id/eprint/{item.pk}/linkset").status_code == 404


def test_linkset_refuses_unsafe_methods(client, seed):
    assert client.post("/id/eprint/114516/linkset").status_code == 405
