"""/sitemap.xml and /robots.txt: what crawlers are invited to and kept from."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils.timezone import localtime
from lxml import etree

from eprints_app.enums import ItemStatus
from eprints_app.models import Item
from tests.factories import make_item

pytestmark = pytest.mark.django_db

BASE = "https://eprints.example.ac.uk"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITEMAP_XSD = Path(__file__).resolve().parent / "xsd" / "sitemap.xsd"  # written from the protocol's text


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE


def fetch(client, url: str, **headers) -> etree._Element:
    response = client.get(url.removeprefix(BASE), **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return etree.fromstring(response.content)


def section_urls(client, **headers) -> list[str]:
    index = fetch(client, "/sitemap.xml", **headers)
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    return [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", NS)]


def sitemap(client, **headers) -> etree._Element:
    """Every section of the index, its url elements gathered in one urlset."""
    merged = etree.Element(f"{{{NS['sm']}}}urlset", nsmap={None: NS["sm"]})
    for url in section_urls(client, **headers):
        merged.extend(fetch(client, url, **headers).findall("sm:url", NS))
    return merged


def entries(root) -> dict[str, str | None]:
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


def test_sitemap_is_valid_against_the_sitemap_schema(client, seed):
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    root = sitemap(client)
    schema.assertValid(root)


def test_sitemap_lists_every_live_item_with_its_last_modified_date_and_the_fixed_pages(client, seed):
    live_ids = sorted(Item.objects.live().values_list("id", flat=True))
    assert len(live_ids) == 7
    urls = entries(sitemap(client))
    item_urls = {url: lastmod for url, lastmod in urls.items() if url.startswith(f"{BASE}/id/eprint/")}
    assert item_urls == {
        f"{BASE}/id/eprint/{pk}/": localtime(Item.objects.get(pk=pk).last_modified).strftime("%Y-%m-%d")
        for pk in live_ids
    }
    assert item_urls[f"{BASE}/id/eprint/114516/"] == "2024-09-14"
    for page in (f"{BASE}/", f"{BASE}/about/", f"{BASE}/cgi/latest"):
        assert page in urls


def test_sitemap_leaves_out_items_that_are_not_live(client):
    live = make_item()
    hidden = [
        make_item(status=status) for status in (ItemStatus.INBOX, ItemStatus.BUFFER, ItemStatus.DELETION)
    ]
    urls = entries(sitemap(client))
    assert f"{BASE}/id/eprint/{live.pk}/" in urls
    for item in hidden:
        assert f"{BASE}/id/eprint/{item.pk}/" not in urls


def test_sitemap_lastmod_follows_a_change_to_the_item(client):
    item = make_item()
    Item.objects.filter(pk=item.pk).update(last_modified=datetime(2025, 1, 2, 12, 0, tzinfo=UTC))
    assert entries(sitemap(client))[f"{BASE}/id/eprint/{item.pk}/"] == "2025-01-02"


def test_sitemap_urls_use_base_url_whatever_host_was_asked(client, seed):
    assert all(url.startswith(f"{BASE}/") for url in section_urls(client, HTTP_HOST="localhost"))
    urls = entries(sitemap(client, HTTP_HOST="localhost"))
    assert all(url.startswith(f"{BASE}/") for url in urls)


def test_a_section_longer_than_one_sitemap_is_split_into_pages_listed_in_the_index(client, monkeypatch):
    from eprints_app.sitemaps import ItemSitemap

    monkeypatch.setattr(ItemSitemap, "limit", 2)
    items = [make_item() for _ in range(3)]
    assert f"{BASE}/sitemap-items.xml?p=2" in section_urls(client)
    listed = entries(sitemap(client))
    assert all(f"{BASE}/id/eprint/{item.pk}/" in listed for item in items)


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_from_private_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response.content.decode() == (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /accounts/\n"
        "Disallow: /cgi/users/\n"
        "Disallow: /cgi/search/\n"
        "Disallow: /id/eprint/*/actions/\n"
        "\n"
        f"Sitemap: {BASE}/sitemap.xml\n"
    )
