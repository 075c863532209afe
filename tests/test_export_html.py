"""The HTML citation export: EPrints' citation as a paragraph, every value escaped."""

import pytest
from lxml import etree

from eprints_app.models import Item
from tests.export_support import rendered
from tests.factories import make_item

pytestmark = pytest.mark.django_db


def export(*items: Item) -> str:
    return rendered("HTML", *items)


def test_seed_citation_paragraph(seed):
    assert export(seed) == (
        '<p class="citation"><span class="person_name">Ahmar, Moonis</span> (2021) '
        '<a href="http://127.0.0.1:8000/id/eprint/114516"><em>Changing dynamics of Pakistan-US relations '
        "and the challenge of soft power.</em></a> LSE IDEAS Reports. LSE Ideas, London, UK.</p>\n"
    )


def test_a_list_is_one_paragraph_per_item():
    items = [make_item(title=f"Item {n}") for n in range(3)]
    root = etree.fromstring(f"<div>{export(*items)}</div>".encode())
    assert [p.findtext("a/em") for p in root.findall("p")] == ["Item 0.", "Item 1.", "Item 2."]


def test_markup_in_metadata_is_escaped():
    item = make_item(title='<img src=x onerror="alert(1)"> & co', publisher="<b>Press</b>")
    text = export(item)
    assert "<img" not in text and "<b>" not in text
    root = etree.fromstring(f"<div>{text}</div>".encode())
    assert root.findtext("p/a/em") == '<img src=x onerror="alert(1)"> & co.'
    assert "<b>Press</b>." in "".join(root.itertext())
