"""The BibTeX export, read back with bibtexparser 2."""

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts

from eprints_app.enums import CreatorRole, ItemType
from eprints_app.exports.bibtex import latex
from eprints_app.models import Creator, Item
from tests.export_support import rendered
from tests.factories import make_article, make_item

pytestmark = pytest.mark.django_db


def read(text: str) -> bibtexparser.Library:
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()]
    )
    assert not library.failed_blocks
    return library


def export(*items: Item) -> str:
    return rendered("BibTeX", *items)


def test_seed_is_a_techreport_with_the_lse_fields(seed):
    text = export(seed)
    assert text.startswith(
        "@techreport{ahmar2021changing,\n"
        "  author = {Ahmar, Moonis},\n"
        "  title = {Changing dynamics of {Pakistan-US} relations and the challenge of soft power},\n"
        "  year = {2021},\n"
        "  publisher = {LSE Ideas},\n"
        "  institution = {LSE Ideas},\n"
        "  address = {London, UK},\n"
        "  series = {LSE IDEAS Reports},\n"
        "  type = {Report},\n"
        "  url = {https://www.lse.ac.uk/ideas/publications/reports},\n"
        "  note = {© 2021 The Author},\n"
        "  abstract = {There is a history of ups and downs"
    )
    entry = read(text).entries[0]
    assert (entry.entry_type, entry.key) == ("techreport", "ahmar2021changing")
    fields = {field.key: field.value for field in entry.fields}
    author = fields.pop("author")
    assert [(name.last, name.first) for name in author] == [(["Ahmar"], ["Moonis"])]
    assert fields == {
        "title": "Changing dynamics of Pakistan-US relations and the challenge of soft power",
        "year": "2021",
        "publisher": "LSE Ideas",
        "institution": "LSE Ideas",
        "address": "London, UK",
        "series": "LSE IDEAS Reports",
        "type": "Report",
        "url": "https://www.lse.ac.uk/ideas/publications/reports",
        "note": "© 2021 The Author",
        "abstract": seed.abstract,
    }


@pytest.mark.parametrize(
    ("fields", "entry_type"),
    [
        ({"type": ItemType.MONOGRAPH}, "techreport"),
        ({"type": ItemType.ARTICLE}, "article"),
        ({"type": ItemType.BOOK}, "book"),
        ({"type": ItemType.BOOK_SECTION}, "incollection"),
        ({"type": ItemType.CONFERENCE_ITEM}, "inproceedings"),
        ({"type": ItemType.THESIS, "thesis_type": "doctoral"}, "phdthesis"),
        ({"type": ItemType.THESIS, "thesis_type": "masters"}, "mastersthesis"),
        ({"type": ItemType.PATENT}, "misc"),
        ({"type": ItemType.DATASET}, "misc"),
    ],
)
def test_entry_type_follows_the_item_type(fields, entry_type):
    assert read(export(make_item(**fields))).entries[0].entry_type == entry_type


def test_article_has_journal_volume_number_pages_and_doi():
    item = make_article(id_number="https://doi.org/10.5555/x_y")
    fields = read(export(item)).entries[0].fields_dict
    expected = {
        "journal": "Journal of Things",
        "volume": "14",
        "number": "3",
        "pages": "211–239",
        "issn": "2046-1836",
        "doi": "10.5555/x_y",
    }
    assert {key: fields[key].value for key in expected} == expected
    assert "  pages = {211--239},\n" in export(item)


def test_book_section_names_its_book_and_editors():
    item = make_item(type=ItemType.BOOK_SECTION, book_title="Essays on Money", creators=1)
    Creator.objects.create(item=item, role=CreatorRole.EDITOR, family="Müller", given="Jonas")
    entry = read(export(item)).entries[0]
    assert entry.fields_dict["booktitle"].value == "Essays on Money"
    assert [(n.last, n.first) for n in entry.fields_dict["editor"].value] == [(["Müller"], ["Jonas"])]


def test_thesis_names_its_school():
    item = make_item(type=ItemType.THESIS, thesis_type="doctoral", institution="LSE")
    assert read(export(item)).entries[0].fields_dict["school"].value == "LSE"


def test_several_creators_are_joined_by_and_in_order():
    item = make_item(creators=3)
    assert "  author = {Family0, Given0 and Family1, Given1 and Family2, Given2},\n" in export(item)


def test_latex_special_characters_are_escaped():
    assert latex("A & B 100% $5 #1 a_b {x} back\\slash ti~lde ca^ret") == (
        r"A \& B 100\% \$5 \#1 a\_b \{x\} back{\textbackslash}slash "
        r"ti{\textasciitilde}lde ca{\textasciicircum}ret"
    )


def test_accented_latin_letters_are_written_as_accent_commands():
    assert latex("Müller Siobhán Çelik Straße Ørsted façade naïve") == (
        r"M{\"u}ller Siobh{\'a}n {\c{C}}elik Stra{\ss}e {\O}rsted fa{\c{c}}ade na{\"\i}ve"
    )


def test_other_scripts_and_punctuation_stay_utf8():
    assert latex("‘curly’ — © عربي 中文") == "‘curly’ — © عربي 中文"


def test_special_characters_read_back_as_written():
    title = "Müller & Çelik: 100% of {x}_y #1 ‘curly’ Straße, Ørsted"
    item = make_item(title=title)
    assert read(export(item)).entries[0].fields_dict["title"].value == title


def test_names_that_would_split_wrongly_are_braced():
    item = make_item(creators=0)
    Creator.objects.create(item=item, family="World Health Organization")
    Creator.objects.create(item=item, position=1, family="Smith and Sons", given="Ltd")
    assert "  author = {{World Health Organization} and {Smith and Sons}, Ltd},\n" in export(item)


def test_citation_keys_are_unique_within_an_export():
    items = [make_item(title="A study of repositories") for _ in range(3)]
    keys = [entry.key for entry in read(export(*items)).entries]
    assert keys == ["family02024study", "family02024studya", "family02024studyb"]


def test_citation_key_folds_accents_and_skips_leading_stop_words():
    item = make_item(creators=0, title="The Économie of things", date="2019-05")
    Creator.objects.create(item=item, family="Müller-Lüdenscheidt", given="Jörg")
    assert read(export(item)).entries[0].key == "mullerludenscheidt2019economie"


def test_citation_key_without_creators_or_latin_letters_still_has_a_name():
    item = make_item(creators=0, title="中文标题", date="")
    assert read(export(item)).entries[0].key == "anon"


def test_url_keeps_its_underscores_and_escapes_percent_signs():
    item = make_item(official_url="https://example.org/a_b%20c?x=1#frag")
    assert "  url = {https://example.org/a_b\\%20c?x=1#frag},\n" in export(item)
    assert read(export(item)).entries[0].fields_dict["url"].value == "https://example.org/a_b%20c?x=1#frag"


def test_item_without_official_url_links_to_its_page():
    item = make_item()
    assert f"  url = {{{item.uri}}},\n" in export(item)
