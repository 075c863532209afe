"""Monthly totals and uniques from the raw events: the 30-second rule, sessions, recounts,
pruning; and the sessions' salts, which keep no address anywhere."""

import datetime
import io
import random
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from eprints_app.models import AggregatedMonth, DailySalt, MonthlyUsage, UsageEvent, UsageKind
from eprints_app.stats import aggregation, recording, robots, sessions
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
START = timezone.make_aware(datetime.datetime(2025, 3, 10, 14, 0, 5))


@pytest.fixture(autouse=True)
def counting(settings, tmp_path):
    settings.USAGE_STATISTICS = True
    settings.USAGE_STATISTICS_FLUSH_SECONDS = 0
    settings.USAGE_ROBOTS_FILE = str(tmp_path / "no-replacement.json")
    robots.robots.reset()
    sessions.forget_salts()
    recording.buffer.events.clear()


def event(seconds: float, *, kind=UsageKind.VIEW, eprintid=1, pos=0, session="a" * 32, start=START):
    return UsageEvent.objects.create(
        time=start + datetime.timedelta(seconds=seconds),
        kind=kind,
        eprintid=eprintid,
        pos=pos,
        session=session,
    )


def march(eprintid: int = 1) -> MonthlyUsage:
    aggregation.aggregate()
    return MonthlyUsage.objects.get(eprintid=eprintid, month=datetime.date(2025, 3, 1))


def test_a_second_click_29_seconds_after_the_first_is_a_double_click():
    event(0)
    event(29)
    assert march().views == 1


def test_a_second_click_31_seconds_after_the_first_counts_again():
    event(0)
    event(31)
    assert march().views == 2


def test_clicks_each_within_30_seconds_of_the_last_count_once_however_long_the_run():
    for second in (0, 20, 40, 60, 80):
        event(second)
    event(111)
    assert march().views == 2


def test_the_rule_holds_per_document_and_per_session():
    event(0, kind=UsageKind.DOWNLOAD, pos=1)
    event(5, kind=UsageKind.DOWNLOAD, pos=2)
    event(10, kind=UsageKind.DOWNLOAD, pos=1, session="b" * 32)
    event(15, kind=UsageKind.VIEW)
    row = march()
    assert (row.downloads, row.views) == (3, 1)


def test_uniques_count_each_session_once_per_item():
    for session in ("a" * 32, "b" * 32):
        event(0, session=session)
        event(100, session=session)
        event(200, kind=UsageKind.DOWNLOAD, pos=1, session=session)
        event(300, kind=UsageKind.DOWNLOAD, pos=2, session=session)
    event(400, kind=UsageKind.DOWNLOAD, pos=1, session="c" * 32)
    row = march()
    assert (row.views, row.unique_views) == (4, 2)
    assert (row.downloads, row.unique_downloads) == (5, 3)
    assert row.unique_investigations == 3
    assert row.investigations == 9


def test_a_reader_in_the_next_hour_is_a_new_session():
    client = Client(HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="198.51.100.7")
    item = make_item()
    client.get(item.get_absolute_url())
    first = UsageEvent.objects.get().session
    assert sessions.session_key("198.51.100.7", FIREFOX, timezone.now()) == first
    assert (
        sessions.session_key("198.51.100.7", FIREFOX, timezone.now() + datetime.timedelta(hours=1)) != first
    )


def recount(rows: list[tuple]) -> dict[tuple[int, datetime.date], tuple[int, int, int, int, int]]:
    """The Code's rules written out again, plainly, over all events at once."""
    by_click = defaultdict(list)
    for kind, eprintid, pos, session, moment in rows:
        month = timezone.localtime(moment).date().replace(day=1)
        by_click[(kind, eprintid, pos, session, month)].append(moment)
    totals = defaultdict(lambda: [0, 0, set(), set(), set()])
    window = datetime.timedelta(seconds=30)
    for (kind, eprintid, _pos, session, month), moments in by_click.items():
        moments.sort()
        counted = sum(1 for one, after in zip(moments, moments[1:], strict=False) if after - one > window) + 1
        figures = totals[(eprintid, month)]
        figures[0 if kind == UsageKind.VIEW else 1] += counted
        figures[2 if kind == UsageKind.VIEW else 3].add(session)
        figures[4].add(session)
    return {key: (v, d, len(uv), len(ud), len(ui)) for key, (v, d, uv, ud, ui) in totals.items()}


def stored() -> dict[tuple[int, datetime.date], tuple[int, int, int, int, int]]:
    return {
        (row.eprintid, row.month): (
            row.views,
            row.downloads,
            row.unique_views,
            row.unique_downloads,
            row.unique_investigations,
        )
        for row in MonthlyUsage.objects.all()
        if row.views or row.downloads
    }


def random_events(count: int = 600) -> None:
    chance = random.Random(15)
    hours = [START + datetime.timedelta(days=day, hours=hour) for day in (0, 1, 25, 40) for hour in (0, 5)]
    for _ in range(count):
        kind = chance.choice([UsageKind.VIEW, UsageKind.DOWNLOAD])
        event(
            chance.randrange(0, 3600),
            kind=kind,
            eprintid=chance.choice([1, 2, 3]),
            pos=chance.choice([1, 2]) if kind == UsageKind.DOWNLOAD else 0,
            session=f"{chance.randrange(6):032x}",
            start=chance.choice(hours),
        )


def test_aggregation_equals_a_recount_of_the_raw_events_and_is_idempotent():
    random_events()
    expected = recount(list(UsageEvent.objects.values_list("kind", "eprintid", "pos", "session", "time")))
    call_command("aggregate_stats", verbosity=0)
    assert stored() == expected
    assert len({month for _, month in expected}) == 2
    call_command("aggregate_stats", verbosity=0)
    call_command("aggregate_stats", "--month", "2025-03", verbosity=0)
    assert stored() == expected


def test_new_events_are_added_by_the_next_run_and_nothing_twice():
    event(0)
    aggregation.aggregate()
    event(100)
    event(200, eprintid=2)
    aggregation.aggregate()
    assert stored() == {
        (1, datetime.date(2025, 3, 1)): (2, 0, 1, 0, 1),
        (2, datetime.date(2025, 3, 1)): (1, 0, 1, 0, 1),
    }


def test_pruning_deletes_the_events_of_past_months_and_keeps_their_totals():
    random_events()
    event(0, start=timezone.now())  # this month's, kept
    expected = recount(list(UsageEvent.objects.values_list("kind", "eprintid", "pos", "session", "time")))
    call_command("prune_stats", verbosity=0)
    assert UsageEvent.objects.count() == 1
    assert AggregatedMonth.objects.filter(pruned=True).count() >= 2
    call_command("aggregate_stats", verbosity=0)
    call_command("prune_stats", verbosity=0)
    assert stored() == expected


def test_bad_arguments_to_the_commands_are_refused_with_a_message():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("aggregate_stats", "--month", "2025-13")
    with pytest.raises(CommandError, match="0 or more"):
        call_command("prune_stats", "--keep-months", "-1")


def test_the_aggregation_task_counts_as_the_command_does():
    from eprints_app.tasks import aggregate_usage_statistics

    event(0)
    assert aggregate_usage_statistics.call(["2025-03"]) == 1
    assert march().views == 1


def test_the_salt_is_random_kept_for_the_day_and_forgotten_the_next():
    day = datetime.date(2025, 3, 10)
    first = sessions.salt_for(day)
    sessions.forget_salts()
    assert sessions.salt_for(day) == first  # another process reads the same day's salt
    following = sessions.salt_for(day + datetime.timedelta(days=1))
    assert following != first and len(following) == 32
    assert list(DailySalt.objects.values_list("day", flat=True)) == [day + datetime.timedelta(days=1)]


def test_the_same_reader_has_unlinkable_keys_on_two_days():
    monday = timezone.make_aware(datetime.datetime(2025, 3, 10, 14, 30))
    tuesday = monday + datetime.timedelta(days=1)
    assert sessions.session_key("198.51.100.7", FIREFOX, monday) != sessions.session_key(
        "198.51.100.7", FIREFOX, tuesday
    )
    assert sessions.session_key("198.51.100.7", FIREFOX, monday) == sessions.session_key(
        "198.51.100.7", FIREFOX, monday + datetime.timedelta(minutes=20)
    )


def columns_holding(value: str) -> list[tuple[str, str]]:
    """Every column of every table whose text holds ``value``."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                sql = f"SELECT 1 FROM {quote(table)} WHERE CAST({quote(column.name)} AS TEXT) LIKE %s"
                cursor.execute(sql, [f"%{value}%"])
                if cursor.fetchone():
                    found.append((table, column.name))
    return found


def test_no_column_of_any_table_holds_the_readers_address_and_no_log_line_names_it(caplog, settings):
    settings.USAGE_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    address, forwarded = "203.0.113.77", "192.0.2.199"
    item = make_item()
    document = make_document(item)
    client = Client(HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR=address, HTTP_X_REAL_IP=forwarded)
    client.get(item.get_absolute_url())
    client.get(item.get_absolute_url())
    b"".join(client.get(document.get_absolute_url()).streaming_content)
    aggregation.aggregate()
    assert UsageEvent.objects.count() == 3
    assert columns_holding(item.title)  # the scan finds what is there
    assert columns_holding(address) == []
    assert columns_holding(forwarded) == []
    assert address not in caplog.text and forwarded not in caplog.text


def test_aggregate_stats_enqueue_hands_the_work_to_the_task_backend():
    event(0)
    out = io.StringIO()
    call_command("aggregate_stats", "--enqueue", "--month", "2025-03", stdout=out)
    assert out.getvalue().startswith("Aggregation queued (task ")
    # The immediate backend of development ran it at once.
    assert MonthlyUsage.objects.get(eprintid=1, month=datetime.date(2025, 3, 1)).views == 1


def test_the_daily_aggregation_deletes_salts_of_past_days_even_after_a_day_without_readers():
    today = timezone.localdate()
    sessions.salt_for(today - datetime.timedelta(days=2))
    call_command("aggregate_stats", verbosity=0)
    assert not DailySalt.objects.exists()
    sessions.salt_for(today)
    call_command("aggregate_stats", verbosity=0)
    assert list(DailySalt.objects.values_list("day", flat=True)) == [today]
