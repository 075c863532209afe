"""The item page's head for machines: Highwire Press and Dublin Core meta tags, export
alternates, schema.org JSON-LD, the COinS span and the Export menu."""

import json
from datetime import date, timedelta
from urllib.parse import parse_qsl, quote

import lxml.html
import pytest

from eprints_app.enums import ItemType, Security
from eprints_app.exports import public_formats
from eprints_app.exports.coins import coins_title
from eprints_app.models import Creator
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

BASE = "https://eprints.example.ac.uk"
SEED_TITLE = "Changing dynamics of Pakistan-US relations and the challenge of soft power"
SEED_PDF = f"{BASE}/id/eprint/114516/1/Ahmar__changing-dynamics-of-pakistan-us--published.pdf"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE


def page(client, eprintid: int):
    response = client.get(f"/id/eprint/{eprintid}/")
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def meta(tree, name: str) -> list[str]:
    return tree.xpath("//head/meta[@name=$name]/@content", name=name)


def metas(tree, prefix: str) -> dict[str, list[str]]:
    """Every meta tag whose name starts with ``prefix``, with the values given for it."""
    names = tree.xpath("//head/meta[starts-with(@name, $prefix)]/@name", prefix=prefix)
    return {name: meta(tree, name) for name in names}


def json_ld(tree) -> dict:
    (text,) = tree.xpath('//head/script[@type="application/ld+json"]/text()')
    return json.loads(text)


def coins(tree) -> list[tuple[str, str]]:
    (title,) = tree.xpath('//span[@class="Z3988"]/@title')
    return parse_qsl(title, keep_blank_values=True)


# Highwire Press


def test_seed_page_has_the_highwire_tags_google_scholar_reads(client, seed):
    tree = page(client, 114516)
    assert metas(tree, "citation_") == {
        "citation_title": [SEED_TITLE],
        "citation_author": ["Ahmar, Moonis"],
        "citation_publication_date": ["2021"],
        "citation_online_date": ["2022/03/29"],
        "citation_technical_report_institution": ["LSE Ideas"],
        "citation_series_title": ["LSE IDEAS Reports"],
        "citation_publisher": ["LSE Ideas"],
        "citation_abstract": [seed.abstract.strip()],
        "citation_pdf_url": [SEED_PDF],
    }


def test_seed_citation_pdf_url_downloads_the_pdf(client, seed):
    (url,) = meta(page(client, 114516), "citation_pdf_url")
    response = client.get(url.removeprefix(BASE))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_article_has_journal_volume_issue_pages_issn_doi_and_keywords(client, seed):
    tree = page(client, 114517)
    assert meta(tree, "citation_journal_title") == ["Journal of Asian Political Economy"]
    assert meta(tree, "citation_volume") == ["14"]
    assert meta(tree, "citation_issue") == ["3"]
    assert meta(tree, "citation_firstpage") == ["211"]
    assert meta(tree, "citation_lastpage") == ["239"]
    assert meta(tree, "citation_issn") == ["2046-1836"]
    assert meta(tree, "citation_doi") == ["10.5555/japes.2020.0143"]
    assert meta(tree, "citation_publication_date") == ["2020/06"]
    assert meta(tree, "citation_keywords") == [
        "infrastructure finance",
        "hedging",
        "South Asia",
        "Belt and Road",
        "sovereign debt",
    ]
    assert meta(tree, "citation_technical_report_institution") == []


def test_thesis_names_its_dissertation_institution_and_full_date(client, seed):
    tree = page(client, 114519)
    assert meta(tree, "citation_dissertation_institution") == [
        "London School of Economics and Political Science"
    ]
    assert meta(tree, "citation_publication_date") == ["2023/02/14"]


def test_conference_item_names_its_conference(client, seed):
    tree = page(client, 114520)
    assert meta(tree, "citation_conference_title") == [
        "International Conference on Digital Scholarly Communication (DSC 2022)"
    ]
    assert meta(tree, "citation_author") == ["O'Connor, Siobhán", "Patel, Ravi"]


def test_book_section_names_its_book_pages_and_isbn(client, seed):
    tree = page(client, 114521)
    assert meta(tree, "citation_inbook_title") == ["Rethinking Europe after 1945"]
    assert (meta(tree, "citation_firstpage"), meta(tree, "citation_lastpage")) == (["45"], ["68"])
    assert meta(tree, "citation_isbn") == ["978-1-9999-0438-8"]
    assert meta(tree, "citation_author") == ["Whitfield, Eleanor"]  # not the editor


def test_working_paper_has_its_report_number(client, seed):
    assert meta(page(client, 114522), "citation_technical_report_number") == ["WP-2023-17"]


def test_pdf_url_lists_only_open_access_pdfs(client, seed):
    # 114522: a public PDF, a registered-users PDF, an embargoed PDF and a public text file.
    assert meta(page(client, 114522), "citation_pdf_url") == [
        f"{BASE}/id/eprint/114522/1/Okafor__household-energy-prices--published.pdf"
    ]


def test_embargoed_pdf_is_listed_once_its_embargo_has_passed(client):
    item = make_item()
    make_document(item, filename="later.pdf", date_embargo=date.today() + timedelta(days=1))
    make_document(item, filename="now.pdf", date_embargo=date.today() - timedelta(days=1))
    make_document(item, filename="staff.pdf", security=Security.STAFFONLY)
    assert meta(page(client, item.pk), "citation_pdf_url") == [f"{BASE}/id/eprint/{item.pk}/2/now.pdf"]


def test_doi_is_taken_bare_from_a_doi_url_and_ignored_when_not_a_doi(client):
    with_doi = make_item(id_number="https://doi.org/10.1234/abc.5")
    without = make_item(id_number="ISBN 978-1-2345")
    assert meta(page(client, with_doi.pk), "citation_doi") == ["10.1234/abc.5"]
    assert meta(page(client, without.pk), "citation_doi") == []


# Dublin Core, canonical and alternates


def test_seed_page_has_dublin_core_tags_and_schema_link(client, seed):
    tree = page(client, 114516)
    assert tree.xpath('//head/link[@rel="schema.DC"]/@href') == ["http://purl.org/DC/elements/1.0/"]
    assert metas(tree, "DC.") == {
        "DC.title": [SEED_TITLE],
        "DC.creator": ["Ahmar, Moonis"],
        "DC.subject": ["JZ International relations"],
        "DC.description": [seed.abstract.strip()],
        "DC.publisher": ["LSE Ideas"],
        "DC.date": ["2021"],
        "DC.type": ["Monograph", "NonPeerReviewed"],
        "DC.format": ["application/pdf"],
        "DC.language": ["en"],
        "DC.identifier": [
            SEED_PDF,
            f"Ahmar, Moonis (2021) {SEED_TITLE}. LSE IDEAS Reports. LSE Ideas, London, UK.",
        ],
        "DC.relation": [f"{BASE}/id/eprint/114516/", "https://www.lse.ac.uk/ideas/publications/reports"],
    }


def test_head_has_canonical_link_and_an_alternate_per_public_export_format(client, seed):
    tree = page(client, 114516)
    assert tree.xpath('//head/link[@rel="canonical"]/@href') == [f"{BASE}/id/eprint/114516/"]
    alternates = [
        (link.get("type"), link.get("title"), link.get("href"))
        for link in tree.xpath('//head/link[@rel="alternate"][starts-with(@href, $base)]', base=BASE)
    ]
    expected = [
        (fmt.content_type.split(";")[0], fmt.name, f"{BASE}{fmt.url(seed)}") for fmt in public_formats()
    ]
    assert expected and alternates == expected


def test_export_menu_lists_every_public_format(client, seed):
    tree = page(client, 114516)
    (menu,) = tree.xpath('//details[@class="export-menu"]')
    assert menu.xpath("summary/text()") == ["Export"]
    links = [(a.text, a.get("href")) for a in menu.xpath(".//a")]
    assert links == [(fmt.name, f"{BASE}{fmt.url(seed)}") for fmt in public_formats()]
    for _name, href in links:
        assert client.get(href.removeprefix(BASE)).status_code == 200


def test_no_email_address_reaches_the_head_json_ld_or_coins(client, seed):
    # 114522 has a contact email and a creator's email; both are for staff only.
    response = client.get("/id/eprint/114522/")
    body = response.content.decode()
    head = body[: body.index("</head>")]
    (span,) = lxml.html.fromstring(body).xpath('//span[@class="Z3988"]/@title')
    for text in (head, span, response["Link"]):
        assert "@example.ac.uk" not in text
        assert "mailto:" not in text


# schema.org JSON-LD


def test_seed_json_ld_describes_the_report(client, seed):
    data = json_ld(page(client, 114516))
    size = seed.documents.get().filesize
    assert data == {
        "@context": "https://schema.org",
        "@type": "Report",
        "@id": f"{BASE}/id/eprint/114516",
        "url": f"{BASE}/id/eprint/114516",
        "name": SEED_TITLE,
        "author": [{"@type": "Person", "name": "Moonis Ahmar", "familyName": "Ahmar", "givenName": "Moonis"}],
        "datePublished": "2021",
        "dateCreated": "2022-03-29T12:48:00+00:00",
        "dateModified": "2024-09-14T03:55:00+00:00",
        "publisher": {"@type": "Organization", "name": "LSE Ideas"},
        "abstract": seed.abstract,
        "isPartOf": {"@type": "CreativeWorkSeries", "name": "LSE IDEAS Reports"},
        "isAccessibleForFree": True,
        "encoding": [
            {
                "@type": "MediaObject",
                "name": "Ahmar__changing-dynamics-of-pakistan-us--published.pdf",
                "contentUrl": SEED_PDF,
                "encodingFormat": "application/pdf",
                "contentSize": f"{size // 1000}kB",
                "inLanguage": "en",
            }
        ],
    }


@pytest.mark.parametrize(
    "item_type, schema_type",
    [
        (ItemType.ARTICLE, "ScholarlyArticle"),
        (ItemType.CONFERENCE_ITEM, "ScholarlyArticle"),
        (ItemType.MONOGRAPH, "Report"),
        (ItemType.THESIS, "Thesis"),
        (ItemType.BOOK, "Book"),
        (ItemType.BOOK_SECTION, "Chapter"),
        (ItemType.DATASET, "Dataset"),
        (ItemType.PATENT, "CreativeWork"),
        (ItemType.OTHER, "CreativeWork"),
    ],
)
def test_json_ld_type_follows_the_item_type(client, item_type, schema_type):
    item = make_item(type=item_type, monograph_type="")
    assert json_ld(page(client, item.pk))["@type"] == schema_type


def test_article_json_ld_has_doi_issue_volume_journal_pages_keywords_and_licence(client, seed):
    data = json_ld(page(client, 114517))
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "DOI",
        "value": "10.5555/japes.2020.0143",
        "url": "https://doi.org/10.5555/japes.2020.0143",
    }
    assert data["sameAs"] == "https://doi.org/10.5555/japes.2020.0143"
    assert data["isPartOf"] == {
        "@type": "PublicationIssue",
        "issueNumber": "3",
        "isPartOf": {
            "@type": "PublicationVolume",
            "volumeNumber": "14",
            "isPartOf": {
                "@type": "Periodical",
                "name": "Journal of Asian Political Economy",
                "issn": "2046-1836",
            },
        },
    }
    assert (data["pageStart"], data["pageEnd"]) == ("211", "239")
    assert data["keywords"][:2] == ["infrastructure finance", "hedging"]
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_json_ld_authors_carry_their_orcid_and_editors_are_apart(client, seed):
    authors = json_ld(page(client, 114522))["author"]
    assert [a.get("@id") for a in authors] == [None, "https://orcid.org/0000-0002-1825-0097", None]
    assert authors[1] == {
        "@type": "Person",
        "@id": "https://orcid.org/0000-0002-1825-0097",
        "name": "Josiah Carberry",
        "familyName": "Carberry",
        "givenName": "Josiah",
    }
    book = json_ld(page(client, 114518))
    assert [a["name"] for a in book["author"]] == ["Thomas Hargreaves"]
    assert [e["name"] for e in book["editor"]] == ["Ana Luísa Ferreira", "Jonas Müller"]


def test_json_ld_lists_only_open_access_files(client, seed):
    encoding = json_ld(page(client, 114522))["encoding"]
    assert [(e["name"], e["encodingFormat"]) for e in encoding] == [
        ("Okafor__household-energy-prices--published.pdf", "application/pdf"),
        ("household-energy-survey-summary.txt", "text/plain"),
    ]


def test_item_without_open_files_is_not_free_and_has_no_encoding(client):
    item = make_item()
    make_document(item, security=Security.VALIDUSER)
    data = json_ld(page(client, item.pk))
    assert data["isAccessibleForFree"] is False
    assert "encoding" not in data


def test_dataset_json_ld_has_description_and_distribution(client):
    item = make_item(type=ItemType.DATASET, monograph_type="", abstract="Survey tables.")
    make_document(item, content=b"a,b\n1,2\n", filename="tables.csv")
    data = json_ld(page(client, item.pk))
    assert data["description"] == "Survey tables."
    assert [d["@type"] for d in data["distribution"]] == ["DataDownload"]
    assert data["distribution"][0]["contentUrl"] == f"{BASE}/id/eprint/{item.pk}/1/tables.csv"


def test_script_end_tag_in_a_title_cannot_break_out_of_the_json_ld(client):
    title = "</script><script>alert(1)</script> & <!-- x"
    item = make_item(title=title, abstract="</SCRIPT >")
    body = client.get(f"/id/eprint/{item.pk}/").content.decode()
    assert "<script>alert(1)" not in body
    tree = lxml.html.fromstring(body)
    scripts = tree.xpath("//script")
    assert [s.get("type") for s in scripts if not s.get("src")] == ["application/ld+json"]
    data = json_ld(tree)
    assert (data["name"], data["abstract"]) == (title, "</SCRIPT >")


# Bad input stays escaped


BAD_TITLE = "Quotes \"double\" & 'single' <b>bold</b>\x01\x1f\x0b end 中文 العربية Ελληνικά"
CLEAN_TITLE = "Quotes \"double\" & 'single' <b>bold</b> end 中文 العربية Ελληνικά"


def test_markup_quotes_control_characters_and_scripts_stay_escaped_in_meta_tags(client):
    item = make_item(title=BAD_TITLE, keywords='a"b; <c>')
    Creator.objects.create(item=item, position=5, family='O"Brien <x>', given="Zoë")
    body = client.get(f"/id/eprint/{item.pk}/").content.decode()
    assert "<b>bold</b>" not in body
    machine_lines = [line for line in body.splitlines() if 'name="citation_' in line or 'name="DC.' in line]
    assert not [line for line in machine_lines if "\x01" in line or "\x1f" in line or "\x0b" in line]
    assert (
        '<meta name="citation_title" content="Quotes &quot;double&quot; &amp; &#x27;single&#x27; '
        '&lt;b&gt;bold&lt;/b&gt; end 中文 العربية Ελληνικά">' in body
    )
    tree = lxml.html.fromstring(body)
    assert meta(tree, "citation_title") == [CLEAN_TITLE]
    assert meta(tree, "DC.title") == [CLEAN_TITLE]
    assert meta(tree, "citation_author")[-1] == 'O"Brien <x>, Zoë'
    assert meta(tree, "citation_keywords") == ['a"b', "<c>"]


def test_bad_input_round_trips_through_json_ld_and_coins(client):
    item = make_item(title=BAD_TITLE)
    body = client.get(f"/id/eprint/{item.pk}/").content.decode()
    tree = lxml.html.fromstring(body)
    (script,) = tree.xpath('//script[@type="application/ld+json"]/text()')
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)["name"] == CLEAN_TITLE
    assert ("rft.btitle", CLEAN_TITLE) in coins(tree)


# COinS


def test_seed_coins_span_carries_the_openurl_of_the_coins_export(client, seed):
    pairs = coins(page(client, 114516))
    assert "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs) == coins_title(seed)
    for pair in [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_id", f"{BASE}/id/eprint/114516"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"),
        ("rft.genre", "report"),
        ("rft.btitle", SEED_TITLE),
        ("rft.au", "Ahmar, Moonis"),
        ("rft.date", "2021"),
    ]:
        assert pair in pairs


def test_coins_values_are_percent_encoded_and_attribute_escaped(client):
    item = make_item(title='A & B = "C" <D>; 50% ü')
    body = client.get(f"/id/eprint/{item.pk}/").content.decode()
    assert "rft.btitle=A%20%26%20B%20%3D%20%22C%22%20%3CD%3E%3B%2050%25%20%C3%BC&amp;" in body
    assert ("rft.btitle", 'A & B = "C" <D>; 50% ü') in coins(lxml.html.fromstring(body))


def test_head_adds_no_queries_to_the_item_page(client, django_assert_num_queries, seed):
    with django_assert_num_queries(6):
        assert client.get("/id/eprint/114522/").status_code == 200
