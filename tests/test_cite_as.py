""" "Cite as": six citation styles through citeproc-py, and the section of the item page."""

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from lxml import html as lxml_html

from eprints_app.cite_as import STYLES, cite_as, cite_as_context, load_style
from eprints_app.enums import ItemType
from eprints_app.models import Creator, Item
from tests.factories import make_item

pytestmark = pytest.mark.django_db

URI = "http://127.0.0.1:8000/id/eprint/114516"
SEED_TITLE = "Changing dynamics of Pakistan-US relations and the challenge of soft power"
SEED_TITLE_CASE = "Changing Dynamics of Pakistan-US Relations and the Challenge of Soft Power"


def citations(item: Item) -> dict[str, dict[str, str]]:
    return {c["name"]: c for c in cite_as(Item.objects.with_parts().get(pk=item.pk))}


def test_seed_in_every_style(seed):
    assert {name: c["text"] for name, c in citations(seed).items()} == {
        "APA": f"Ahmar, M. (2021). {SEED_TITLE} (LSE IDEAS Reports) [Report]. LSE Ideas. {URI}",
        "Harvard": f"Ahmar, M. (2021) {SEED_TITLE}. Report. London, UK: LSE Ideas. Available at: {URI}.",
        "Chicago (author-date)": (
            f"Ahmar, Moonis. 2021. {SEED_TITLE_CASE}. Report. LSE IDEAS Reports. LSE Ideas. {URI}."
        ),
        "MLA": f"Ahmar, Moonis. {SEED_TITLE_CASE}. Report. LSE Ideas, 2021, {URI}. LSE IDEAS Reports.",
        "Vancouver": (
            f"Ahmar M. {SEED_TITLE} [Report] [Internet]. London, UK: LSE Ideas; 2021. "
            f"(LSE IDEAS Reports). Available from: {URI}"
        ),
        "IEEE": f"M. Ahmar, “{SEED_TITLE},” LSE Ideas, London, UK, Report, 2021. [Online]. Available: {URI}",
    }


def test_seed_html_italicises_the_title(seed):
    assert citations(seed)["APA"]["html"] == (
        f"Ahmar, M. (2021). <i>{SEED_TITLE}</i> (LSE IDEAS Reports) [Report]. LSE Ideas. {URI}"
    )


def test_styles_come_in_a_fixed_order(seed):
    assert [c["name"] for c in cite_as(seed)] == [name for name, _ in STYLES]


def test_article_in_every_style(seed):
    found = citations(Item.objects.get(pk=114517))
    title = "Corridors of influence: infrastructure finance and strategic hedging in South Asia"
    titled = "Corridors of Influence: Infrastructure Finance and Strategic Hedging in South Asia"
    doi = "https://doi.org/10.5555/japes.2020.0143"
    assert {name: c["text"] for name, c in found.items()} == {
        "APA": f"Rahman, F. (2020). {title}. Journal of Asian Political Economy, 14(3), 211–239. {doi}",
        "Harvard": (
            f"Rahman, F. (2020) “{title}”, Journal of Asian Political Economy, 14(3), pp. 211–239. "
            f"Available at: {doi}."
        ),
        "Chicago (author-date)": (
            f"Rahman, Farida. 2020. “{titled}.” Journal of Asian Political Economy 14 (3): 211–39. {doi}."
        ),
        "MLA": (
            f"Rahman, Farida. “{titled}.” Journal of Asian Political Economy, vol. 14, no. 3, June 2020, "
            f"pp. 211–39, {doi}."
        ),
        "Vancouver": (
            f"Rahman F. {title}. Journal of Asian Political Economy. 2020 Jun;14(3):211–39. "
            "doi:10.5555/japes.2020.0143"
        ),
        "IEEE": (
            f"F. Rahman, “{title},” Journal of Asian Political Economy, vol. 14, no. 3, pp. 211–239, "
            "Jun. 2020, doi: 10.5555/japes.2020.0143."
        ),
    }


def test_mla_and_chicago_give_full_given_names_where_apa_gives_initials():
    item = make_item(creators=0, title="Essays")
    Creator.objects.create(item=item, family="O'Connor", given="Siobhán Áine")
    Creator.objects.create(item=item, position=1, family="Patel", given="Ravi")
    found = citations(item)
    assert found["MLA"]["text"].startswith("O'Connor, Siobhán Áine, and Ravi Patel.")
    assert found["Chicago (author-date)"]["text"].startswith("O'Connor, Siobhán Áine, and Ravi Patel.")
    assert found["APA"]["text"].startswith("O'Connor, S. Á., & Patel, R. (2024).")
    assert found["Vancouver"]["text"].startswith("O'Connor SÁ, Patel R.")


def test_title_ending_in_a_question_mark_gets_no_extra_full_stop():
    found = citations(make_item(title="Is soft power enough?"))
    for name, citation in found.items():
        assert "?." not in citation["text"], name
    assert "Is soft power enough? Technical Report." in found["Harvard"]["text"]


def test_numeric_styles_carry_no_bibliography_number():
    found = citations(make_item())
    assert found["Vancouver"]["text"].startswith("Family0 G. A study of repositories")
    assert found["IEEE"]["text"].startswith("G. Family0, “A study of repositories,” Test Press")


def test_thesis_has_no_stray_publication_label():
    item = make_item(type=ItemType.THESIS, thesis_type="doctoral", institution="LSE", publisher="")
    assert citations(item)["APA"]["text"] == (
        f"Family0, G. (2024). A study of repositories [PhD thesis, LSE]. {item.uri}"
    )


def test_markup_in_metadata_is_escaped_in_html_and_kept_in_text():
    item = make_item(title='<script>alert("x")</script> & <b>bold</b>', publisher="A & B <Press>")
    for name, citation in citations(item).items():
        assert "<script>" not in citation["html"] and "<b>" not in citation["html"], name
        assert "&lt;script&gt;" in citation["html"], name
        assert '<script>alert("x")</script>' in citation["text"], name
    assert "A &amp; B &lt;Press&gt;" in citations(item)["APA"]["html"]


def test_each_style_is_loaded_once():
    load_style.cache_clear()
    for _ in range(3):
        cite_as(make_item())
    assert load_style.cache_info().misses == len(STYLES)


def test_context_has_the_citations_and_the_bibtex_entry(seed):
    context = cite_as_context(Item.objects.with_parts().get(pk=seed.pk))
    assert [c["name"] for c in context["citations"]] == [name for name, _ in STYLES]
    assert context["bibtex"].startswith("@techreport{ahmar2021changing,\n")


def test_section_shows_every_style_the_bibtex_and_hidden_copy_buttons(seed):
    page = render_to_string(
        "eprints_app/cite_as.html", cite_as_context(Item.objects.with_parts().get(pk=seed.pk))
    )
    tree = lxml_html.fragment_fromstring(page, create_parent="div")
    section = tree.find("section")
    assert section.get("aria-labelledby") == "cite-as-heading"
    assert section.findtext("h2") == "Cite as"
    assert [dt.text_content() for dt in section.iter("dt")] == [name for name, _ in STYLES] + ["BibTeX"]
    assert section.find(".//pre").text.startswith("@techreport{ahmar2021changing,")
    buttons = section.findall(".//button")
    assert len(buttons) == 7
    assert all(b.get("hidden") is not None and b.get("type") == "button" for b in buttons)
    assert buttons[0].get("data-copy") == cite_as(seed)[0]["text"]
    assert buttons[-1].get("data-copy").startswith("@techreport{ahmar2021changing,")
    scripts = tree.findall(".//script")
    assert [(s.get("src"), "defer" in s.attrib, s.text) for s in scripts] == [
        ("/static/eprints_app/copy.js", True, None)
    ]


def test_section_escapes_hostile_metadata():
    item = make_item(title='<script>alert("x")</script> "quotes\' & {x}')
    page = render_to_string(
        "eprints_app/cite_as.html", cite_as_context(Item.objects.with_parts().get(pk=item.pk))
    )
    assert "<script>alert" not in page
    tree = lxml_html.fragment_fromstring(page, create_parent="div")
    assert len(tree.findall(".//script")) == 1
    assert (
        tree.find(".//button").get("data-copy").startswith('Family0, G. (2024). <script>alert("x")</script>')
    )


def test_copy_script_is_a_static_file():
    path = finders.find("eprints_app/copy.js")
    assert path is not None
    with open(path, encoding="utf-8") as script:
        assert "navigator.clipboard.writeText(button.dataset.copy)" in script.read()
