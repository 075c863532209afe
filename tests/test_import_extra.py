"""Fields an EPrints record had that we do not: kept in Item.extra, shown to staff only, written
back by the EP3 XML export, and kept by an export → import round trip."""

import io
from pathlib import Path

import pytest
from lxml import etree

from eprints_app.enums import ItemStatus
from eprints_app.imports.records import import_records
from eprints_app.models import Item
from tests.export_support import rendered
from tests.factories import make_item
from tests.import_support import NS, export

pytestmark = pytest.mark.django_db

CALTECH = Path("/work/shared/reference/ep3-samples/caltechauthors-25792.xml")
LOCAL = {
    "rights": "Free to <b>read</b> & share",
    "local_group": ["Accelerated Strategic Computing Initiative", "GALCIT"],
    "related_url": [{"url": "http://example.org/a?x=1&y=2", "type": "pub"}],
    "funders": [{"agency": "NSF", "grant_number": "123", "uri": "http://example.org/funder/1"}],
}


def with_local_fields(status: str = ItemStatus.ARCHIVE, **fields) -> Item:
    item = make_item(status=status, **fields)
    Item.objects.filter(pk=item.pk).update(extra=LOCAL)
    return Item.objects.get(pk=item.pk)


def test_the_export_writes_extra_fields_as_eprints_does():
    item = with_local_fields()
    root = etree.fromstring(rendered("XML", item).encode())
    ns = {"ep": NS}
    assert root.findtext("ep:eprint/ep:rights", namespaces=ns) == "Free to <b>read</b> & share"
    assert root.xpath("ep:eprint/ep:local_group/ep:item/text()", namespaces=ns) == LOCAL["local_group"]
    assert (
        root.findtext("ep:eprint/ep:related_url/ep:item/ep:url", namespaces=ns)
        == "http://example.org/a?x=1&y=2"
    )


def test_export_then_import_keeps_the_extra_fields():
    item = with_local_fields()
    source = rendered("XML", item).encode()
    Item.objects.all().delete()
    report = import_records(io.BytesIO(source))
    assert Item.objects.get(pk=item.pk).extra == LOCAL
    assert report.extra_fields == {name: 1 for name in LOCAL}


@pytest.mark.skipif(not CALTECH.exists(), reason="the shared reference files are not here")
def test_a_real_records_local_fields_survive_import_export_import():
    import_records(io.BytesIO(CALTECH.read_bytes()))
    first = Item.objects.get(pk=25792).extra
    source = rendered("XML", Item.objects.get(pk=25792)).encode()
    Item.objects.all().delete()
    import_records(io.BytesIO(source))
    assert Item.objects.get(pk=25792).extra == first
    assert set(first) == {"rights", "collection", "local_group", "related_url"}


def test_staff_see_the_other_fields_escaped(client, editor):
    item = with_local_fields()
    client.force_login(editor)
    body = client.get(f"/id/eprint/{item.pk}/actions/").content.decode()
    assert "Other fields (imported)" in body
    assert '<tr><th scope="row">rights</th><td>Free to &lt;b&gt;read&lt;/b&gt; &amp; share</td></tr>' in body
    groups = "Accelerated Strategic Computing Initiative<br>GALCIT"
    assert f'<tr><th scope="row">local_group</th><td>{groups}</td></tr>' in body
    assert "&quot;url&quot;: &quot;http://example.org/a?x=1&amp;y=2&quot;" in body


def test_the_depositor_does_not_see_them(client, depositor):
    item = with_local_fields(status=ItemStatus.INBOX, depositor=depositor)
    client.force_login(depositor)
    response = client.get(f"/id/eprint/{item.pk}/actions/")
    assert response.status_code == 200
    assert "Other fields (imported)" not in response.content.decode()
    assert "Free to" not in response.content.decode()


def test_bookkeeping_fields_are_not_extra_data():
    source = export(
        [{"eprintid": 9, "type": "article", "title": "T", "rev_number": 4, "dir": "disk0/00/00/00/09"}]
    )
    import_records(io.BytesIO(source))
    assert Item.objects.get(pk=9).extra == {}
