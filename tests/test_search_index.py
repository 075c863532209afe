"""The search index: what an entry holds, that only what readers may see goes in, and that every
change to an item or its parts keeps it current (receivers, the command, the bulk path)."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from eprints_app.access import is_open_access
from eprints_app.enums import ItemStatus, ItemType, Security
from eprints_app.models import Creator, Division, Document, Item, Subject
from eprints_app.search import entries
from eprints_app.search.criteria import Criteria
from eprints_app.search.models import SearchEntry
from eprints_app.services import search as search_service
from eprints_app.services import search_index
from eprints_app.services.creators import delete_creator, save_creator
from eprints_app.services.documents import delete_document, save_document
from eprints_app.services.search_index import reindex_all, reindex_item
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def entry(item: Item) -> SearchEntry | None:
    return SearchEntry.objects.filter(pk=item.pk).first()


def with_text(document: Document, text: str) -> Document:
    """The extracted text, as the text-extraction task stores it (an UPDATE, no signals)."""
    Document.objects.filter(pk=document.pk).update(text=text)
    return document


@pytest.fixture
def classified_item():
    politics = Subject.objects.create(code="J", name="J Political Science")
    relations = Subject.objects.create(code="JZ", name="JZ International relations", parent=politics)
    department = Division.objects.create(code="ir", name="International Relations")
    item = make_item(
        title="Soft power in South Asia",
        keywords="diplomacy, hedging",
        abstract="An abstract.",
        id_number="10.5555/sa.2020.14",
        isbn="978-0-19-852663-6",
        issn="2046-1836",
        creators=2,
    )
    item.subjects.add(relations)
    item.divisions.add(department)
    return item


def test_an_entry_holds_what_search_looks_in(classified_item):
    reindex_item(classified_item.pk)
    found = entry(classified_item)
    assert found.title == "Soft power in South Asia"
    assert found.creators == "Given0 Family0 Given1 Family1"
    assert found.keywords == "diplomacy, hedging"
    assert (
        found.classification == "J Political Science > JZ International relations ; International Relations"
    )
    assert found.abstract == "An abstract."
    assert found.identifiers == (
        f"{classified_item.pk} 10.5555/sa.2020.14 978-0-19-852663-6 2046-1836 9780198526636"
    )
    assert found.sort_author == "family0 given0"
    assert found.indexed_on == TODAY


def test_an_entry_copies_the_fields_search_filters_and_counts_by_and_follows_their_changes(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item(type=ItemType.ARTICLE, date="2019-05", ispublished="pub", refereed=True)
    copied = SearchEntry.objects.values("type", "date", "ispublished", "refereed").get(pk=item.pk)
    assert copied == {"type": "article", "date": "2019-05", "ispublished": "pub", "refereed": True}
    with django_capture_on_commit_callbacks(execute=True):
        item.date, item.ispublished, item.refereed = "2021", "inpress", False
        item.save()
    assert (entry(item).date, entry(item).ispublished, entry(item).refereed) == ("2021", "inpress", False)


@pytest.mark.parametrize("status", [ItemStatus.INBOX, ItemStatus.BUFFER, ItemStatus.DELETION])
def test_items_that_are_not_live_get_no_entry(status):
    item = make_item(status=status)
    reindex_all()
    assert entry(item) is None


def test_full_text_comes_only_from_documents_anyone_may_download():
    item = make_item()
    yesterday, tomorrow = TODAY - timedelta(days=1), TODAY + timedelta(days=1)
    with_text(make_document(item), "public words")
    with_text(make_document(item, security=Security.STAFFONLY), "staff secret")
    with_text(make_document(item, security=Security.VALIDUSER), "registered secret")
    with_text(make_document(item, date_embargo=tomorrow), "embargoed secret")
    with_text(make_document(item, security=Security.STAFFONLY, date_embargo=yesterday), "lapsed words")
    reindex_item(item.pk)
    assert sorted(entry(item).full_text.split("\n")) == ["lapsed words", "public words"]


def test_the_open_access_filter_agrees_with_is_open_access():
    for item in (make_item(), make_item(status=ItemStatus.BUFFER)):
        for security in Security.values:
            for embargo in (None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1)):
                make_document(item, security=security, date_embargo=embargo)
    documents = Document.objects.select_related("item")
    expected = {document.pk for document in documents if is_open_access(document)}
    assert set(documents.open_access(TODAY).values_list("pk", flat=True)) == expected
    assert expected  # some documents are open access, some are not
    assert len(expected) < documents.count()


def test_full_text_is_cut_at_the_limit(monkeypatch):
    monkeypatch.setattr(entries, "FULL_TEXT_CHARS", 10)
    item = make_item()
    with_text(make_document(item), "0123456789abcdef")
    reindex_item(item.pk)
    assert entry(item).full_text == "0123456789"


def test_the_bulk_path_and_the_single_item_path_write_the_same_entry(classified_item):
    with_text(make_document(classified_item), "some text")
    reindex_all()
    bulk = SearchEntry.objects.values().get(pk=classified_item.pk)
    SearchEntry.objects.all().delete()
    reindex_item(classified_item.pk)
    assert SearchEntry.objects.values().get(pk=classified_item.pk) == bulk


def test_saving_an_item_indexes_it_and_taking_it_out_of_the_archive_removes_it(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item(title="Tidal energy")
    assert entry(item).title == "Tidal energy"
    with django_capture_on_commit_callbacks(execute=True):
        item.status = ItemStatus.DELETION
        item.save()
    assert entry(item) is None


def test_creators_added_or_removed_are_indexed(django_capture_on_commit_callbacks):
    item = make_item(creators=0)
    with django_capture_on_commit_callbacks(execute=True):
        creator = save_creator(Creator(item=item, family="Okafor", given="Ada"))
    assert entry(item).creators == "Ada Okafor"
    with django_capture_on_commit_callbacks(execute=True):
        delete_creator(creator)
    assert entry(item).creators == ""


def make_staff_only(document: Document) -> None:
    document.security = Security.STAFFONLY
    save_document(document)


def set_embargo(document: Document) -> None:
    document.date_embargo = TODAY + timedelta(days=30)
    save_document(document)


@pytest.mark.parametrize(
    "change", [make_staff_only, set_embargo, delete_document], ids=["made-staff-only", "embargoed", "deleted"]
)
def test_a_document_restricted_embargoed_or_deleted_takes_its_text_out(
    django_capture_on_commit_callbacks, change
):
    item = make_item()
    document = with_text(make_document(item), "findable words")
    reindex_item(item.pk)
    assert entry(item).full_text == "findable words"
    document.refresh_from_db()  # with its text, which saving the stale copy would wipe
    with django_capture_on_commit_callbacks(execute=True):
        change(document)
    assert entry(item).full_text == ""


def test_classification_changes_and_renamed_headings_are_indexed(django_capture_on_commit_callbacks):
    item = make_item()
    subject = Subject.objects.create(code="Q", name="Q Science")
    with django_capture_on_commit_callbacks(execute=True):
        item.subjects.add(subject)
    assert entry(item).classification == "Q Science ; "
    with django_capture_on_commit_callbacks(execute=True):
        subject.name = "Q Natural Science"
        subject.save()
    assert entry(item).classification == "Q Natural Science ; "
    with django_capture_on_commit_callbacks(execute=True):
        item.subjects.clear()
    assert entry(item).classification == " ; "


def test_deleting_an_item_deletes_its_entry(django_capture_on_commit_callbacks):
    item = make_item()
    reindex_item(item.pk)
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert not SearchEntry.objects.exists()


def test_changes_in_one_transaction_reindex_each_item_once(django_capture_on_commit_callbacks, monkeypatch):
    search_index.flush_pending()  # what earlier tests left waiting for a commit
    calls = []
    monkeypatch.setattr(search_index, "reindex_items", lambda ids: calls.append(set(ids)))
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item(creators=3)
        item.subjects.add(Subject.objects.create(code="Q", name="Q Science"))
    assert calls == [{item.pk}]


def test_reindex_search_rebuilds_every_entry_and_says_what_it_did():
    live = make_item()
    with_text(make_document(live), "text")
    make_item()
    retired = make_item()
    reindex_all()
    Item.objects.filter(pk=retired.pk).update(status=ItemStatus.DELETION)  # no signals: a bulk change
    SearchEntry.objects.filter(pk=live.pk).delete()
    out, err = StringIO(), StringIO()
    call_command("reindex_search", stdout=out, stderr=err)
    assert out.getvalue() == (
        "Search index: 2 live items (1 with full text); 1 entries of items no longer live removed.\n"
    )
    assert "1/1" in err.getvalue()
    assert entry(live) is not None and entry(retired) is None


def test_reindex_search_embargoes_adds_text_whose_embargo_has_ended():
    item = make_item()
    document = with_text(make_document(item, date_embargo=TODAY + timedelta(days=1)), "now public")
    reindex_item(item.pk)
    assert entry(item).full_text == ""
    # A day later: the embargo has ended, with no change to the document that would reindex it.
    Document.objects.filter(pk=document.pk).update(date_embargo=TODAY)
    SearchEntry.objects.filter(pk=item.pk).update(indexed_on=TODAY - timedelta(days=1))
    out = StringIO()
    call_command("reindex_search", "--embargoes", stdout=out)
    assert out.getvalue() == "Search index: 1 reindexed (items with embargoes ended).\n"
    assert entry(item).full_text == "now public"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table")
def test_sqlite_fts_table_follows_the_entries():
    def matches(word: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM eprints_app_searchentry_fts WHERE eprints_app_searchentry_fts MATCH %s",
                [word],
            )
            return [row[0] for row in cursor.fetchall()]

    item = make_item(title="Kestrel habitats")
    reindex_item(item.pk)
    assert matches("kestrel") == [item.pk]
    Item.objects.filter(pk=item.pk).update(title="Osprey habitats")
    reindex_item(item.pk)
    assert matches("kestrel") == [] and matches("osprey") == [item.pk]
    item.delete()
    assert matches("osprey") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's tsvector")
def test_postgresql_vector_is_weighted_title_a_creators_b_abstract_c_full_text_d():
    item = make_item(title="Kestrel", abstract="Osprey", creators=0)
    Creator.objects.create(item=item, family="Heron")
    with_text(make_document(item), "Plover")
    reindex_item(item.pk)
    vector = str(entry(item).vector)
    for lexeme, weight in (("kestrel", "A"), ("heron", "B"), ("osprey", "C"), ("plover", "")):
        assert f"'{lexeme}':" in vector
        positions = vector.split(f"'{lexeme}':")[1].split(" ")[0]
        assert set(re.findall(r"[0-9]+([A-C]?)", positions)) == {weight}  # D is the default, not written


@pytest.mark.parametrize(
    "query, expected",
    [
        ("'climat' <-> 'chang'", "( 'climat' <-> 'chang' & 'climat chang' )"),
        ("'a' <-> 'b' <-> 'c' & 'd'", "( 'a' <-> 'b' <-> 'c' & 'a b' & 'b c' ) & 'd'"),
        ("'rule' <2> 'law'", "'rule' <2> 'law'"),
        ("'a' <-> 'b' <2> 'c'", "( 'a' <-> 'b' <2> 'c' & 'a b' )"),
        (
            "!( 'fossil' <-> 'fuel' ) | 'o''neil' <-> 'k'",
            "!( ( 'fossil' <-> 'fuel' & 'fossil fuel' ) ) | ( 'o''neil' <-> 'k' & 'o''neil k' )",
        ),
        # A phrase that is an operand of another phrase operator is left whole.
        ("( 'p' | 'q' ) <-> 'a' <-> 'b'", "( 'p' | 'q' ) <-> 'a' <-> 'b'"),
        ("'a' <-> 'b' <-> ( 'p' | 'q' )", "'a' <-> 'b' <-> ( 'p' | 'q' )"),
        ("'a' & 'b'", "'a' & 'b'"),
    ],
)
def test_postgresql_phrases_also_ask_for_their_biwords(query, expected):
    from eprints_app.search.postgres import with_biwords

    assert with_biwords(query) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
@pytest.mark.parametrize("field", ["q", "full_text"])
def test_postgresql_index_finds_a_phrase_through_its_biwords_without_reading_other_items(field):
    from eprints_app.search import postgres

    texts = {
        "adjacent": "Climate change in the uplands",
        "apart": "A change of climate",
        "reversed": "Change, climate",
    }
    items = {}
    for name, text in texts.items():
        items[name] = make_item(title="Kestrel", abstract=text if field == "q" else "")
        with_text(make_document(items[name]), text if field == "full_text" else "")
    reindex_all()
    query = postgres.match(SearchEntry.objects.all(), {field: '"climate change"'}).values_list(
        "pk", flat=True
    )
    assert list(query) == [items["adjacent"].pk]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0][0]["Plan"]
    while plan["Node Type"] != "Bitmap Index Scan":
        (plan,) = plan["Plans"]
    assert plan["Actual Rows"] == 1  # without biwords, all three items have both words


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
@pytest.mark.django_db(transaction=True)
def test_migration_0011_gives_existing_entries_their_biwords_and_takes_them_back():
    item = make_item(title="Climate change")
    reindex_item(item.pk)

    def biwords() -> set[str]:
        with connection.cursor() as cursor:
            sql = "SELECT lexeme FROM eprints_app_searchentry, unnest(vector) WHERE item_id = %s"
            cursor.execute(sql, [item.pk])
            return {lexeme for (lexeme,) in cursor.fetchall() if " " in lexeme}

    assert "climat chang" in biwords()
    executor = MigrationExecutor(connection)
    executor.migrate([("eprints_app", "0010_search_entry_roots")])
    assert biwords() == set()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert "climat chang" in biwords()
    criteria = Criteria(texts={"q": '"climate change"'})
    assert search_service.ordered_ids(criteria, "relevance", 0, 20) == [item.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
@pytest.mark.parametrize(
    "texts, index",
    [({"q": "kestrel"}, "search_entry_vector"), ({"full_text": "kestrel"}, "search_entry_text_vector")],
)
def test_postgresql_matching_uses_a_gin_index(texts, index):
    from eprints_app.search import postgres

    item = make_item(title="Kestrel")
    with_text(make_document(item), "Kestrel nests")
    reindex_item(item.pk)
    query = postgres.match(SearchEntry.objects.all(), texts).values("pk")
    assert list(query) == [{"pk": item.pk}]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan


@pytest.mark.django_db(transaction=True)
def test_migrations_0007_to_0010_copy_item_fields_lineages_and_roots_into_existing_entries():
    before = ("eprints_app", "0006_browse_indexes")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    item = old.get_model("eprints_app", "Item").objects.create(
        type="article",
        title="Kestrel habitats",
        date="2019-05",
        ispublished="pub",
        refereed=True,
        status="archive",
    )
    zoology = old.get_model("eprints_app", "Subject").objects.create(
        code="QL", name="Zoology", lineage="Q:QL"
    )
    item.subjects.add(zoology)
    old.get_model("eprints_app", "SearchEntry").objects.create(
        item_id=item.pk, title="Kestrel", indexed_on=TODAY
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    fields = (
        "type",
        "date",
        "ispublished",
        "refereed",
        "subject_lineages",
        "division_lineages",
        "subject_roots",
    )
    copied = SearchEntry.objects.values(*fields).get(pk=item.pk)
    assert copied == {
        "type": "article",
        "date": "2019-05",
        "ispublished": "pub",
        "refereed": True,
        "subject_lineages": ":Q:QL:",
        "division_lineages": "",
        "subject_roots": ":Q:",
    }
    # The index still follows changes (on SQLite, through the FTS5 triggers made again).
    Item.objects.filter(pk=item.pk).update(title="Osprey habitats")
    reindex_item(item.pk)
    criteria = Criteria(texts={"q": "osprey"}, subjects=("Q:QL",))
    assert search_service.ordered_ids(criteria, "relevance", 0, 20) == [item.pk]
