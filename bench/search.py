"""Benchmark: search at 100,000 items, simple and advanced queries with facets, on a page.

Fills a database of its own (SQLite under var/bench-search.sqlite3 unless BENCH_DATABASE_URL
names another) with items whose titles, abstracts, creators, subjects and (for one in five)
open-access full text are drawn from a Zipf-distributed vocabulary, indexes them through the
bulk path, then times whole result pages (search, facet counts, snippets, rendering) through
Django's test client, uncached and then cached, and prints p50 / p95 latencies and query counts.

    python bench/search.py                      # 100,000 items on SQLite
    BENCH_ITEMS=20000 python bench/search.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/eprints_bench_search python bench/search.py
"""

import itertools
import os
import random
import re
import statistics
import time
from urllib.parse import urlencode

from environment import use_bench_database  # bench/environment.py, beside this script

use_bench_database("bench-search.sqlite3")

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from support import batches, created, fill_to, p95, paper, timed_get  # noqa: E402

from eprints_app.models import Creator, Division, Document, Item, Subject  # noqa: E402
from eprints_app.search.models import SearchEntry  # noqa: E402
from eprints_app.services.search_index import reindex_all  # noqa: E402

ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
BATCH = 2000
COUNT = re.compile(rb"Displaying results [0-9]+ to [0-9]+ of ([0-9]+)")
TYPES = ["article"] * 6 + ["monograph"] * 2 + ["book_section", "conference_item", "book", "thesis"]

TOPICS = (  # noqa: SIM905 (a paragraph of words reads better than a list)
    "climate change policy trade migration health finance energy security education inequality "
    "poverty labour markets housing urban rural development governance democracy elections "
    "conflict peace diplomacy regulation competition innovation technology digital platforms "
    "data privacy media gender race ethnicity religion identity nationalism populism welfare "
    "pensions taxation debt inflation monetary fiscal banking insurance risk environment "
    "biodiversity water agriculture food transport infrastructure cities law courts rights "
    "justice crime policing prisons immigration refugees borders sovereignty alliances sanctions "
    "aid corruption accountability transparency bureaucracy reform austerity growth productivity "
    "wages employment unemployment firms entrepreneurship networks trust social capital families "
    "children ageing mental wellbeing pandemic vaccines hospitals care nursing schools "
    "universities skills"
).split()
FILLER = (  # noqa: SIM905 (a paragraph of words reads better than a list)
    "the of and in to a for on with by from this that these we our which are is be as an at "
    "between across over under within among its their how why what evidence analysis study "
    "results show suggest find effects impact role case approach framework model estimate data "
    "survey interviews panel comparative historical qualitative quantitative experimental new "
    "recent long-term short-term national regional local global european asian african american "
    "british chinese indian pakistani brazilian institutions outcomes"
).split()
PLACES = ["Pakistan", "India", "Kenya", "Brazil", "China", "the UK", "Europe", "Nigeria", "Chile", "Japan"]
SYLLABLES = ["ka", "lo", "mi", "ren", "tas", "vor", "el", "un", "dri", "so", "pa", "qui", "ber", "ton", "ash"]


def zipf_vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Topic words first (frequent), then invented words for a long tail of rare terms."""
    tail = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(20000)}
    words = TOPICS + sorted(tail)
    # The offset keeps the commonest word near 0.3% of running text, as "policy" might be in a
    # social-science repository: it then turns up in about a third of the items.
    return words, [1 / (rank + 50) for rank in range(len(words))]


class Writer:
    def __init__(self, seed: int = 42) -> None:
        self.rng = random.Random(seed)
        self.words, weights = zipf_vocabulary(self.rng)
        self.cumulative = list(itertools.accumulate(weights))

    def words_of(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def sentence(self) -> str:
        parts = self.words_of(self.rng.randint(4, 9)) + self.rng.choices(FILLER, k=self.rng.randint(4, 8))
        self.rng.shuffle(parts)
        return " ".join(parts).capitalize() + "."

    def title(self) -> str:
        a, b = self.words_of(2)
        return f"{a.capitalize()} and {b} in {self.rng.choice(PLACES)}: {' '.join(self.words_of(3))}"

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))


def make_trees() -> tuple[list[str], list[str]]:
    roots = [chr(c) for c in range(ord("A"), ord("V"))]
    for code in roots:
        Subject.objects.get_or_create(
            code=code, defaults={"name": f"{code} {TOPICS[ord(code) % 60].title()}"}
        )
        for n in range(1, 6):
            Subject.objects.get_or_create(
                code=f"{code}{chr(64 + n)}",
                defaults={"name": f"{code}{chr(64 + n)} {TOPICS[(ord(code) + n) % 90]}", "parent_id": code},
            )
    Subject.rebuild_paths()
    faculties = ["arts", "sci", "soc"]
    for faculty in faculties:
        Division.objects.get_or_create(code=faculty, defaults={"name": f"Faculty of {faculty}"})
        for n in range(4):
            Division.objects.get_or_create(
                code=f"{faculty}-{n}", defaults={"name": f"Department {n} of {faculty}", "parent_id": faculty}
            )
    Division.rebuild_paths()
    return leaves(Subject), leaves(Division)


def leaves(model) -> list[str]:
    return list(model.objects.exclude(parent=None).values_list("code", flat=True))


def add_items(have: int, target: int) -> None:
    writer = Writer(seed=have)
    rng = writer.rng
    subjects, divisions = make_trees()
    surnames = sorted({"".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() for _ in range(4000)})
    now = timezone.now()
    for numbers in batches(have, target, BATCH):
        items = Item.objects.bulk_create(
            Item(
                type=rng.choice(TYPES),
                title=writer.title(),
                abstract=writer.paragraph(rng.randint(4, 8)),
                keywords=", ".join(writer.words_of(4)),
                date=f"{rng.randint(1980, 2025)}-{rng.randint(1, 12):02d}",
                ispublished=rng.choice(["pub", "pub", "pub", "inpress", "submitted"]),
                refereed=rng.random() < 0.6,
                id_number=f"10.5555/bench.{n}",
                status="archive" if rng.random() < 0.95 else "buffer",
                date_deposited=now,
                last_modified=now,
                rev_number=1,
            )
            for n in numbers
        )
        items = created(items)
        Creator.objects.bulk_create(
            Creator(
                item=item, position=p, family=rng.choice(surnames), given=rng.choice(["A.", "Maria", "Li"])
            )
            for item in items
            for p in range(rng.randint(1, 3))
        )
        with_text = [item for item in items if rng.random() < 0.2]
        Document.objects.bulk_create(
            paper(
                item,
                filesize=1000,
                security="public" if rng.random() < 0.9 else "staffonly",
                text=writer.paragraph(rng.randint(40, 90)),
                text_status="done",
                thumbnail_status="skipped",
            )
            for item in with_text
        )
        Item.subjects.through.objects.bulk_create(
            Item.subjects.through(item_id=item.pk, subject_id=code)
            for item in items
            for code in set(rng.sample(subjects, rng.randint(1, 2)))
        )
        Item.divisions.through.objects.bulk_create(
            Item.divisions.through(item_id=item.pk, division_id=rng.choice(divisions)) for item in items
        )


def index() -> None:
    live = Item.objects.live().count()
    if SearchEntry.objects.count() == live and not os.environ.get("BENCH_REINDEX"):
        print(f"{live} entries indexed (BENCH_REINDEX=1 rebuilds them)")
        return
    started = time.perf_counter()
    counts = reindex_all()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"indexed {counts.entries} live items ({counts.with_full_text} with full text) "
        f"in {time.perf_counter() - started:.1f} s"
    )


def queries() -> list[tuple[str, str, dict]]:
    """(label, page, parameters): a mix of what readers type, from broad to narrow."""
    one_author = Creator.objects.order_by("pk").values_list("family", flat=True).first()
    simple, advanced = "/cgi/search/simple", "/cgi/search/advanced"
    return [
        ("simple: one common word", simple, {"q": "policy"}),
        ("simple: two words", simple, {"q": "climate finance"}),
        ("simple: phrase", simple, {"q": '"climate change"'}),
        ("simple: OR and exclusion", simple, {"q": "migration OR refugees -europe"}),
        ("simple: rare word", simple, {"q": "kalotas"}),
        ("simple: author name", simple, {"q": one_author}),
        ("simple: no results", simple, {"q": "zzzyxw"}),
        ("simple: word + facets chosen", simple, {"q": "health", "type": "article", "subject": "J"}),
        ("simple: word, ordered newest", simple, {"q": "trade", "order": "newest"}),
        ("simple: word, page 50", simple, {"q": "growth", "page": "50"}),
        ("advanced: title + years", advanced, {"title": "energy", "year_from": "2000", "year_to": "2015"}),
        ("advanced: creators", advanced, {"creators": one_author}),
        ("advanced: abstract + type", advanced, {"abstract": "inequality wages", "type": "book"}),
        ("advanced: full text", advanced, {"full_text": "democracy"}),
        ("advanced: filters only", advanced, {"type": "article", "year_from": "2010", "refereed": "yes"}),
    ]


def timed(client: Client, url: str, clear_cache: bool) -> tuple[float, int, bytes]:
    """(milliseconds, queries, page) of one request; with ``clear_cache``, nothing is cached
    but the database's own buffers."""
    if clear_cache:
        cache.clear()
    elapsed, queries, response = timed_get(client, url)
    return elapsed, queries, response.content


def measure(client: Client) -> None:
    """Each query uncached (as when first asked, or after any change to the repository), then
    repeated with its facets and results cached (paging back, the same query asked again)."""
    print(f"database: {connection.vendor}, {ROUNDS} requests each, whole pages with facets")
    if connection.vendor == "postgresql":
        sql = "SELECT current_setting('shared_buffers'), pg_size_pretty(pg_relation_size(%s))"
        with connection.cursor() as cursor:
            cursor.execute(sql, [SearchEntry._meta.db_table])
            buffers, size = cursor.fetchone()
        print(f"shared_buffers: {buffers}, search entries' table: {size} (README: PostgreSQL)")
    print(f"{'':<32} {'uncached':^32} {'cached':^32}")
    overall: dict[bool, list[float]] = {True: [], False: []}
    for label, page, params in queries():
        url = f"{page}?{urlencode(params)}"
        timed(client, url, clear_cache=True)  # the database's buffers warm
        line = f"{label:<32}"
        for clear_cache in (True, False):
            runs = [timed(client, url, clear_cache) for _ in range(ROUNDS)]
            times = [elapsed for elapsed, _, _ in runs]
            overall[clear_cache] += times
            line += f" p50 {statistics.median(times):6.1f} p95 {p95(times):6.1f} ms {runs[-1][1]:2d} q  "
        count = COUNT.search(runs[-1][2])
        print(f"{line} {int(count[1]) if count else 0:6d} results")
    line = f"{'all of the above':<32}"
    for clear_cache in (True, False):
        line += f" p50 {statistics.median(overall[clear_cache]):6.1f} p95 {p95(overall[clear_cache]):6.1f} ms"
        line += " " * 8
    print(line)


def main() -> None:
    call_command("migrate", verbosity=0)
    fill_to(ITEMS, add_items)
    index()
    measure(Client(HTTP_HOST="127.0.0.1"))


if __name__ == "__main__":
    main()
