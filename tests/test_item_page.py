"""The public item page: the seed record as EPrints shows it, its URLs and its caching headers."""

import html
import re

import pytest

from eprints_app.enums import ItemStatus
from eprints_app.models import Subject
from tests.factories import make_document, make_item
from tests.pages import queries_for

pytestmark = pytest.mark.django_db

SEED_CITATION = (
    "Ahmar, Moonis (2021) Changing dynamics of Pakistan-US relations and the challenge of soft power. "
    "LSE IDEAS Reports. LSE Ideas, London, UK."
)


def page_text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", body)
    body = re.sub(r"(?s)<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body)).strip()


def assert_in_order(text: str, parts: list[str]) -> None:
    position = -1
    for part in parts:
        found = text.find(part, position + 1)
        assert found >= 0, f"{part!r} missing after position {position}"
        position = found


def test_seed_page_shows_the_seed_record_in_eprints_order(client, seed, settings):
    settings.BASE_URL = "http://eprints.lse.ac.uk"
    response = client.get("/id/eprint/114516/")
    assert response.status_code == 200
    size = seed.documents.get().filesize
    assert_in_order(
        page_text(response),
        [
            SEED_CITATION,
            "Text (Ahmar__changing-dynamics-of-pakistan-us--published)",
            "- Published Version",
            f"Download ({size // 1000}kB)",
            "Abstract",
            "There is a history of ups and downs in Pakistan-US relations since early 1950s till today.",
            "in the years to come.",
            "Item Type: Monograph (Report)",
            "Official URL: https://www.lse.ac.uk/ideas/publications/reports",
            "Additional Information: © 2021 The Author",
            "Divisions: LSE",
            "Subjects: J Political Science > JZ International relations",
            "Date Deposited: 29 Mar 2022 13:48",
            "Last Modified: 14 Sep 2024 04:55",
            "URI: http://eprints.lse.ac.uk/id/eprint/114516",
            "Actions (login required)",
            "View Item",
        ],
    )


def test_seed_citation_line_is_exact(client, seed):
    response = client.get("/id/eprint/114516/")
    citation = re.search(r'<p class="citation">(.*?)</p>', response.content.decode(), re.S).group(1)
    assert re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", citation))).strip() == SEED_CITATION


def test_seed_download_link_points_at_the_document(client, seed):
    body = client.get("/id/eprint/114516/").content.decode()
    assert 'href="/id/eprint/114516/1/Ahmar__changing-dynamics-of-pakistan-us--published.pdf"' in body


def test_page_has_title_canonical_link_and_landmarks(client, seed, settings):
    settings.BASE_URL = "https://repo.example.ac.uk"
    body = client.get("/id/eprint/114516/").content.decode()
    assert "<title>Changing dynamics of Pakistan-US relations" in body
    assert '<link rel="canonical" href="https://repo.example.ac.uk/id/eprint/114516/">' in body
    for landmark in ("<header", "<nav", "<main", "<footer", '<meta name="viewport"'):
        assert landmark in body
    assert body.count("<h1") == 1


@pytest.mark.parametrize("path", ["/114516", "/114516/"])
def test_short_urls_redirect_permanently_to_the_item_page(client, seed, path):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == "/id/eprint/114516/"


@pytest.mark.parametrize("status", [ItemStatus.INBOX, ItemStatus.BUFFER])
def test_items_not_yet_live_are_not_found(client, status):
    item = make_item(status=status)
    assert client.get(f"/id/eprint/{item.pk}/").status_code == 404


def test_retired_item_answers_410_item_removed(client):
    item = make_item(status=ItemStatus.DELETION, title="An old report")
    response = client.get(f"/id/eprint/{item.pk}/")
    assert response.status_code == 410
    text = page_text(response)
    assert "Item Removed" in text and "An old report." in text


@pytest.mark.parametrize(
    "path",
    [
        "/id/eprint/999999999/",
        "/id/eprint/abc/",
        "/id/eprint/0/",
        "/id/eprint/-1/",
        "/id/eprint/99999999999999999999999/",
        "/id/eprint/1.5/",
    ],
)
def test_unknown_or_malformed_ids_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_page_sends_validators_and_answers_conditional_requests_with_304(client, seed):
    response = client.get("/id/eprint/114516/")
    assert response["Last-Modified"] == "Sat, 14 Sep 2024 03:55:00 GMT"
    etag = response["ETag"]
    assert client.get("/id/eprint/114516/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    since = client.get("/id/eprint/114516/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    seed.title = "A new title"
    seed.save()
    assert client.get("/id/eprint/114516/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_signed_in_reader_gets_a_different_etag(client, seed, other_depositor):
    anonymous = client.get("/id/eprint/114516/")["ETag"]
    client.force_login(other_depositor)
    assert client.get("/id/eprint/114516/")["ETag"] != anonymous


def test_item_without_documents_says_full_text_is_not_available(client):
    item = make_item()
    assert "Full text not available from this repository." in page_text(client.get(f"/id/eprint/{item.pk}/"))


def test_markup_in_metadata_is_escaped(client):
    item = make_item(title="<script>alert(1)</script>", abstract="<b>bold</b>")
    body = client.get(f"/id/eprint/{item.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body


def build_item_with(count: int):
    Subject.objects.bulk_create(
        [
            Subject(code=f"Q{n}", name=f"Q{n} Science {n}", path=f"Q{n} Science {n}", lineage=f"Q{n}")
            for n in range(count)
        ],
        ignore_conflicts=True,
    )
    item = make_item(creators=count)
    item.subjects.set(Subject.objects.filter(code__in=[f"Q{n}" for n in range(count)]))
    for n in range(count):
        make_document(item, content=f"text {n}".encode(), filename=f"data{n}.txt")
    return item


def test_item_page_query_count_does_not_grow_with_creators_documents_and_subjects(client):
    one, ten = build_item_with(1), build_item_with(10)
    assert queries_for(client, f"/id/eprint/{one.pk}/") == queries_for(client, f"/id/eprint/{ten.pk}/") == 6


def test_home_page_lists_latest_additions(client, seed):
    response = client.get("/")
    assert response.status_code == 200
    assert "Changing dynamics of Pakistan-US relations" in page_text(response)
