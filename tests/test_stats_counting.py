"""What is counted: item-page views and downloads by readers, kept answers included; never
robots, an item's managers, items that are not live, or a range that continues a download."""

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client
from moto.server import ThreadedMotoServer

from eprints_app.enums import ItemStatus
from eprints_app.models import UsageEvent, UsageKind
from eprints_app.stats import recording, robots, sessions
from tests.factories import make_document, make_item
from tests.s3_support import use_bucket

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Safari/605.1.15"
)


@pytest.fixture(autouse=True)
def counting(settings, tmp_path):
    """Each event written as soon as its response is sent, with the shipped robots list."""
    settings.USAGE_STATISTICS = True
    settings.USAGE_STATISTICS_FLUSH_SECONDS = 0
    settings.USAGE_ROBOTS_FILE = str(tmp_path / "no-replacement.json")
    robots.robots.reset()
    sessions.forget_salts()
    recording.buffer.events.clear()
    yield
    recording.buffer.events.clear()


@pytest.fixture
def item():
    item = make_item(title="Counted")
    make_document(item)
    return item


def reader(user_agent: str = FIREFOX, address: str = "198.51.100.7") -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)


def download(client: Client, url: str, **headers) -> int:
    response = client.get(url, **headers)
    b"".join(response.streaming_content)  # sent in full, then closed, as a server does
    return response.status_code


def events() -> list[tuple[str, int, int]]:
    return list(UsageEvent.objects.order_by("id").values_list("kind", "eprintid", "pos"))


def test_a_readers_view_of_an_item_page_is_counted(item):
    assert reader().get(item.get_absolute_url()).status_code == 200
    assert events() == [(UsageKind.VIEW, item.pk, 0)]


def test_a_readers_download_is_counted_with_its_document(item):
    document = item.documents.get()
    assert download(reader(), document.get_absolute_url()) == 200
    assert events() == [(UsageKind.DOWNLOAD, item.pk, document.pos)]


def test_kept_answers_are_counted_and_cost_only_the_insert(item, django_assert_num_queries):
    client = reader()
    page, file = item.get_absolute_url(), item.documents.get().get_absolute_url()
    client.get(page)
    download(client, file)
    with django_assert_num_queries(1) as queries:  # the view and the ORM are not reached
        assert client.get(page).status_code == 200
    assert "INSERT INTO" in queries.captured_queries[0]["sql"]
    with django_assert_num_queries(1):
        assert download(client, file) == 200
    assert [kind for kind, _, _ in events()] == [UsageKind.VIEW, UsageKind.DOWNLOAD] * 2


def test_a_304_for_a_readers_current_copy_is_counted(item):
    client = reader()
    etag = client.get(item.get_absolute_url())["ETag"]
    assert client.get(item.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(events()) == 2


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Wget/1.21.4",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Unpaywall (http://unpaywall.org/; mailto:team@impactstory.org)",
        "",
    ],
)
def test_robots_on_the_counter_list_are_left_out(item, user_agent):
    client = reader(user_agent)
    assert client.get(item.get_absolute_url()).status_code == 200
    assert download(client, item.documents.get().get_absolute_url()) == 200
    assert client.get(item.get_absolute_url()).status_code == 200  # kept
    assert events() == []


def test_browsers_are_not_taken_for_robots():
    assert not robots.is_robot(FIREFOX)
    assert not robots.is_robot(SAFARI)
    assert robots.is_robot("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")


def test_a_range_from_the_first_byte_is_counted_and_its_continuations_are_not(item):
    client, url = reader(), item.documents.get().get_absolute_url()
    assert download(client, url, HTTP_RANGE="bytes=0-1023") == 206
    assert download(client, url, HTTP_RANGE="bytes=1024-2047") == 206
    assert download(client, url, HTTP_RANGE="bytes=2048-") == 206
    assert events() == [(UsageKind.DOWNLOAD, item.pk, 1)]


def test_a_head_request_is_not_counted(item):
    assert reader().head(item.get_absolute_url()).status_code == 200
    assert events() == []


def test_the_items_depositor_and_editors_are_not_counted(item, depositor, editor):
    item.depositor = depositor
    item.save()
    for user in (depositor, editor):
        client = reader()
        client.force_login(user)
        assert client.get(item.get_absolute_url()).status_code == 200
        assert download(client, item.documents.get().get_absolute_url()) == 200
    assert events() == []


def test_a_signed_in_reader_who_does_not_manage_the_item_is_counted(item, other_depositor):
    client = reader()
    client.force_login(other_depositor)
    assert client.get(item.get_absolute_url()).status_code == 200
    assert events() == [(UsageKind.VIEW, item.pk, 0)]


def test_an_item_that_is_not_live_is_not_counted_even_when_staff_preview_it(editor):
    item = make_item(status=ItemStatus.BUFFER)
    document = make_document(item)
    assert reader().get(item.get_absolute_url()).status_code == 404
    client = reader()
    client.force_login(editor)
    client.get(item.get_absolute_url())
    assert download(client, document.get_absolute_url()) == 200
    assert events() == []


def test_a_removed_item_and_a_missing_one_are_not_counted(item):
    item.status = ItemStatus.DELETION
    item.save()
    assert reader().get(item.get_absolute_url()).status_code == 410
    assert reader().get("/id/eprint/999999/").status_code == 404
    assert events() == []


def test_nothing_is_counted_when_statistics_are_off(item, settings):
    settings.USAGE_STATISTICS = False
    reader().get(item.get_absolute_url())
    assert events() == []


def test_events_wait_in_memory_until_the_flush_is_due(item, settings):
    settings.USAGE_STATISTICS_FLUSH_SECONDS = 3600
    client = reader()
    client.get(item.get_absolute_url())
    client.get(item.get_absolute_url())
    assert events() == []
    assert recording.buffer.flush() == 2
    assert len(events()) == 2


def test_the_same_reader_in_the_same_hour_is_one_session_and_another_reader_another(item):
    for client in (reader(), reader(), reader(SAFARI), reader(address="198.51.100.8")):
        client.get(item.get_absolute_url())
    sessions_seen = list(UsageEvent.objects.order_by("id").values_list("session", flat=True))
    assert sessions_seen[0] == sessions_seen[1]
    assert len(set(sessions_seen)) == 3


def test_a_kept_page_is_still_answered_when_the_days_salt_cannot_be_read(item):
    client = reader()
    kept = client.get(item.get_absolute_url())
    sessions.forget_salts()
    error = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(connections["default"], "_cursor", side_effect=error):
        response = client.get(item.get_absolute_url())
    assert response.status_code == 200 and response.content == kept.content
    assert len(events()) == 1  # the first; the one during the outage is not counted


def test_events_wait_for_a_database_that_cannot_take_them(item, settings):
    settings.USAGE_STATISTICS_FLUSH_SECONDS = 3600
    reader().get(item.get_absolute_url())
    error = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(connections["default"], "_cursor", side_effect=error):
        assert recording.buffer.flush() == 0
    # Kept for the next flush (which, here, the test's broken transaction could not take).
    assert [eprintid for _, _, eprintid, _, _ in recording.buffer.events] == [item.pk]


def test_a_download_sent_to_the_bucket_is_counted_once(settings):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        use_bucket(settings, f"http://{host}:{port}", "statistics-test")
        item = make_item()
        document = make_document(item)
        client = reader()
        assert client.get(document.get_absolute_url()).status_code == 302
        assert client.get(f"/id/eprint/{item.pk}/{document.pos}/other-name.pdf").status_code == 302
    finally:
        server.stop()
    assert events() == [(UsageKind.DOWNLOAD, item.pk, document.pos)]  # not the redirect to the right name


def test_behind_a_proxy_its_header_tells_readers_apart(item, settings):
    settings.USAGE_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.2"):
        Client(HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP=address).get(
            item.get_absolute_url()
        )
    assert UsageEvent.objects.values("session").distinct().count() == 2
