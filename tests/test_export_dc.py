"""The Dublin Core export (/cgi/export/eprint/N/DC/...) and its oai_dc form."""

import datetime

import pytest
from django.utils import timezone
from lxml import etree

from eprints_app.enums import CreatorRole, Licence, Security
from eprints_app.exports import get_format, oai_formats
from eprints_app.models import Creator, Item, Subject
from tests.factories import make_document, make_item
from tests.oai_support import NS, XSD

pytestmark = pytest.mark.django_db

OAI_DC_SCHEMA = etree.XMLSchema(etree.parse(str(XSD / "oai_dc.xsd")))
SEED_DC = """\
relation: http://127.0.0.1:8000/id/eprint/114516
title: Changing dynamics of Pakistan-US relations and the challenge of soft power
creator: Ahmar, Moonis
subject: JZ International relations
description: There is a history of ups and downs in Pakistan-US relations since early 1950s till today.\
"""
SEED_DC_END = """\
publisher: LSE Ideas
date: 2021
type: Monograph
type: NonPeerReviewed
format: application/pdf
language: en
identifier: http://127.0.0.1:8000/id/eprint/114516/1/Ahmar__changing-dynamics-of-pakistan-us--published.pdf
identifier: Ahmar, Moonis (2021) Changing dynamics of Pakistan-US relations and the challenge of soft power. \
LSE IDEAS Reports. LSE Ideas, London, UK.
relation: https://www.lse.ac.uk/ideas/publications/reports
"""


def oai_dc(item: Item) -> etree._Element:
    """The item's oai_dc record, checked against oai_dc.xsd."""
    root = etree.fromstring(get_format("DC").render_oai(Item.objects.with_parts().get(pk=item.pk)))
    OAI_DC_SCHEMA.assertValid(root)
    return root


def elements(root: etree._Element, name: str) -> list[str]:
    return [element.text for element in root.findall(f"dc:{name}", NS)]


@pytest.fixture
def article():
    item = make_item(
        type="article",
        title="Trade and trust",
        abstract="First paragraph.\n\nSecond paragraph.",
        publication="Journal of Trade",
        date="2023-05",
        refereed=True,
        id_number="doi:10.5555/trade.2023",
        official_url="https://journal.example.org/trade",
        contact_email="contact@example.org",
        creators=0,
    )
    Creator.objects.create(item=item, position=0, family="Okafor", given="Ada", email="ada@example.org")
    Creator.objects.create(item=item, position=1, family="Lind", given="Per", email="per@example.org")
    Creator.objects.create(
        item=item, position=0, role=CreatorRole.EDITOR, family="Moreau", given="Anne", email="a@example.org"
    )
    item.subjects.add(Subject.objects.create(code="J", name="J Political Science"))
    return item


def test_export_of_the_seed_has_eprints_lines_in_eprints_order(client, seed):
    response = client.get("/cgi/export/eprint/114516/DC/demo-eprint-114516.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith(SEED_DC)
    assert text.endswith("in the years to come.\n" + SEED_DC_END)


def test_dc_is_offered_to_harvesters_as_oai_dc():
    fmt = oai_formats()["oai_dc"]
    assert (fmt.identifier, fmt.name, fmt.extension) == ("DC", "Dublin Core", "txt")
    assert fmt.oai_namespace == "http://www.openarchives.org/OAI/2.0/oai_dc/"
    assert fmt.oai_schema == "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"


def test_oai_dc_of_the_seed_is_valid_and_maps_each_field(seed):
    root = oai_dc(seed)
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
    assert elements(root, "title") == [
        "Changing dynamics of Pakistan-US relations and the challenge of soft power"
    ]
    assert elements(root, "creator") == ["Ahmar, Moonis"]
    assert elements(root, "subject") == ["JZ International relations"]
    assert elements(root, "type") == ["Monograph", "NonPeerReviewed"]
    assert elements(root, "relation") == [
        "http://127.0.0.1:8000/id/eprint/114516",
        "https://www.lse.ac.uk/ideas/publications/reports",
    ]


def test_people_are_family_given_with_editors_as_contributors(article):
    root = oai_dc(article)
    assert elements(root, "creator") == ["Okafor, Ada", "Lind, Per"]
    assert elements(root, "contributor") == ["Moreau, Anne"]
    assert elements(root, "type") == ["Article", "PeerReviewed"]
    assert elements(root, "date") == ["2023-05"]
    assert elements(root, "description") == ["First paragraph.\n\nSecond paragraph."]


def test_no_email_address_is_ever_exported(article):
    text = get_format("DC").render([Item.objects.with_parts().get(pk=article.pk)])
    xml = get_format("DC").render_oai(Item.objects.with_parts().get(pk=article.pk))
    for output in (text, xml):
        assert "@example.org" not in output


def test_doi_and_citation_are_identifiers(article):
    identifiers = elements(oai_dc(article), "identifier")
    assert identifiers == [
        "Okafor, Ada and Lind, Per (2023) Trade and trust. Journal of Trade.",
        "https://doi.org/10.5555/trade.2023",
    ]


def test_only_openly_downloadable_documents_are_listed(article):
    public = make_document(article, filename="open.pdf", license=Licence.CC_BY)
    make_document(article, filename="staff.pdf", security=Security.STAFFONLY)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    make_document(article, filename="embargoed.pdf", date_embargo=tomorrow)
    root = oai_dc(article)
    assert elements(root, "identifier")[0] == f"http://127.0.0.1:8000{public.get_absolute_url()}"
    assert [i for i in elements(root, "identifier") if i.endswith(".pdf")] == [
        f"http://127.0.0.1:8000{public.get_absolute_url()}"
    ]
    assert elements(root, "format") == ["application/pdf"]
    assert elements(root, "language") == ["en"]
    assert elements(root, "rights") == ["https://creativecommons.org/licenses/by/4.0/"]


def test_control_characters_are_dropped_rather_than_breaking_the_xml():
    # (NUL is left out: PostgreSQL refuses to store it at all.)
    item = make_item(title="Bell\x07 and\x1b form\x0cfeed \ufffe end", abstract="Tab\tkept")
    root = oai_dc(item)
    assert elements(root, "title") == ["Bell and formfeed  end"]
    assert elements(root, "description") == ["Tab\tkept"]


def test_text_export_keeps_each_element_on_one_line(article):
    text = get_format("DC").render([Item.objects.with_parts().get(pk=article.pk)])
    assert "description: First paragraph. Second paragraph.\n" in text


def test_list_export_separates_items_with_a_blank_line():
    first, second = make_item(title="First"), make_item(title="Second")
    text = get_format("DC").render(list(Item.objects.with_parts().filter(pk__in=[first.pk, second.pk])))
    records = text.split("\n\n")
    assert [record.splitlines()[1] for record in records] == ["title: Second", "title: First"]
