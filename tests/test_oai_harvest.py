"""A whole harvest by a real OAI-PMH client (Sickle) over HTTP, as aggregators do it."""

import datetime
from collections import Counter

import pytest
from sickle import Sickle

from eprints_app.enums import ItemStatus
from eprints_app.models import Creator, Item

START = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
STATUSES = [ItemStatus.ARCHIVE] * 7 + [ItemStatus.DELETION, ItemStatus.BUFFER, ItemStatus.INBOX]


@pytest.fixture
def repository():
    """280 items: most live, some retired or taken back out of the archive, some never live.

    Groups of five share a Last Modified, so pages must break inside runs of equal datestamps.
    """
    Item.objects.bulk_create(
        Item(
            type="article",
            title=f"Harvested item {n}",
            publication="Journal of Harvests",
            status=STATUSES[n % len(STATUSES)],
            date_deposited=START if n % 20 != 9 else None,  # every other workarea item never went live
            last_modified=START + datetime.timedelta(seconds=n // 5),
        )
        for n in range(280)
    )
    items = list(Item.objects.order_by("pk"))
    Creator.objects.bulk_create(Creator(item=item, family="Harvest", given=str(item.pk)) for item in items)
    # bulk_create sends no signals, so adding creators leaves Last Modified as set above.
    live = {f"oai:demo:{i.pk}" for i in items if i.status == ItemStatus.ARCHIVE}
    once_live = {f"oai:demo:{i.pk}" for i in items if i.status != ItemStatus.ARCHIVE and i.date_deposited}
    return live, once_live


@pytest.mark.django_db(transaction=True)
def test_sickle_harvests_every_record_exactly_once(live_server, repository):
    live, once_live = repository
    assert len(live | once_live) > 250
    sickle = Sickle(f"{live_server.url}/cgi/oai2", max_retries=0, timeout=30)

    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    seen = Counter(record.header.identifier for record in records)
    assert set(seen) == live | once_live
    assert max(seen.values()) == 1
    assert {r.header.identifier for r in records if r.deleted} == once_live
    assert all(r.metadata["title"][0].startswith("Harvested item") for r in records if not r.deleted)

    headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False))
    assert Counter(h.identifier for h in headers) == seen
    assert {h.identifier for h in headers if h.deleted} == once_live


@pytest.mark.django_db(transaction=True)
def test_sickle_reads_identify_sets_and_formats(live_server, repository):
    sickle = Sickle(f"{live_server.url}/cgi/oai2", max_retries=0, timeout=30)
    identify = sickle.Identify()
    assert identify.deletedRecord == "persistent"
    assert identify.earliestDatestamp == "2024-01-01T00:00:00Z"
    assert "oai_dc" in [f.metadataPrefix for f in sickle.ListMetadataFormats()]
    assert "types:article" in [s.setSpec for s in sickle.ListSets()]
    article = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="types:article", ignore_deleted=False))
    assert len(article) == len(repository[0] | repository[1])
