"""Showing the figures: stats.json, the item page's block and chart, /cgi/stats/ with its CSV
tables, and the COUNTER Item Report."""

import csv
import datetime
import io

import lxml.etree
import lxml.html
import pytest
from django.utils import timezone

from eprints_app.enums import ItemStatus, ItemType
from eprints_app.models import AggregatedMonth, Creator, Division, MonthlyUsage, UsageEvent, UsageKind
from eprints_app.stats import aggregation
from eprints_app.stats.charts import Series, monthly_chart
from eprints_app.stats.periods import last_months
from tests.factories import make_article, make_document, make_item

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
THIS_MONTH = timezone.localdate().replace(day=1)


def months_ago(count: int) -> datetime.date:
    return last_months(count + 1).first


def usage(item, month, views=0, downloads=0, unique_views=0, unique_downloads=0, unique_investigations=0):
    return MonthlyUsage.objects.create(
        eprintid=item.pk,
        month=month,
        views=views,
        downloads=downloads,
        unique_views=unique_views,
        unique_downloads=unique_downloads,
        unique_investigations=unique_investigations,
    )


@pytest.fixture
def item():
    item = make_item(title="Much read")
    make_document(item)
    return item


def test_stats_json_gives_each_month_and_the_totals(client, item):
    usage(item, datetime.date(2024, 1, 1), views=5, downloads=3, unique_views=4, unique_downloads=2)
    usage(item, datetime.date(2024, 3, 1), views=1, downloads=0, unique_views=1)
    usage(item, datetime.date(2024, 4, 1))  # nothing counted: left out
    response = client.get(f"/id/eprint/{item.pk}/stats.json")
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "eprintid": item.pk,
        "months": [
            {"month": "2024-01", "views": 5, "downloads": 3, "unique_views": 4, "unique_downloads": 2},
            {"month": "2024-03", "views": 1, "downloads": 0, "unique_views": 1, "unique_downloads": 0},
        ],
        "total": {"views": 6, "downloads": 3},
    }


def test_stats_json_of_an_item_never_counted_is_empty(client, item):
    assert client.get(f"/id/eprint/{item.pk}/stats.json").json() == {
        "eprintid": item.pk,
        "months": [],
        "total": {"views": 0, "downloads": 0},
    }


def test_stats_json_of_a_missing_unfinished_or_removed_item_says_so(client):
    assert client.get("/id/eprint/999999/stats.json").status_code == 404
    assert client.get(f"/id/eprint/{make_item(status=ItemStatus.INBOX).pk}/stats.json").status_code == 404
    removed = client.get(f"/id/eprint/{make_item(status=ItemStatus.DELETION).pk}/stats.json")
    assert removed.status_code == 410
    assert "removed" in removed.json()["error"]


def block(client, item) -> lxml.html.HtmlElement:
    page = lxml.html.fromstring(client.get(item.get_absolute_url()).content)
    (section,) = page.xpath("//section[@class='usage-stats']")
    return section


def test_the_item_page_shows_the_last_12_months_and_all_time(client, item):
    usage(item, THIS_MONTH, views=7, downloads=4)
    usage(item, months_ago(11), views=2, downloads=1)
    usage(item, months_ago(12), views=100, downloads=50)  # 13 months back: all time only
    section = block(client, item)
    figures = {
        row.findtext("th"): row.findtext("td") for row in section.xpath(".//table[@class='metadata']//tr")
    }
    assert figures == {
        "Downloads, last 12 months:": "5",
        "Views, last 12 months:": "9",
        "Downloads, all time:": "55",
        "Views, all time:": "109",
    }
    (table,) = section.xpath(".//figure//table")
    rows = [[cell.text_content() for cell in row] for row in table.xpath(".//tbody/tr")]
    assert len(rows) == 12
    assert rows[0] == [f"{months_ago(11):%B %Y}", "1", "2"]
    assert rows[-1] == [f"{THIS_MONTH:%B %Y}", "4", "7"]


def test_the_block_sits_after_the_metadata_and_before_the_actions(client, item):
    page = lxml.html.fromstring(client.get(item.get_absolute_url()).content)
    order = [
        element.get("class")
        for element in page.xpath(
            "//main//*[self::table[@class='metadata'] or self::section][not(ancestor::section)]"
        )
    ]
    assert order.index("usage-stats") > order.index("metadata")
    assert order[order.index("usage-stats") + 1] == "actions-box"


def test_the_item_pages_etag_changes_with_its_figures(client, item):
    first = client.get(item.get_absolute_url())["ETag"]
    usage(item, THIS_MONTH, views=1)
    from django.core.cache import cache

    cache.clear()
    response = client.get(item.get_absolute_url(), HTTP_IF_NONE_MATCH=first)
    assert response.status_code == 200
    assert response["ETag"] != first


def chart(months: list[datetime.date], values: list[int]) -> lxml.etree._Element:
    svg = monthly_chart("test", "A chart", months, [Series("Downloads", values), Series("Views", values)])
    return lxml.etree.fromstring(str(svg).encode())


def bars(svg) -> list:
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]


def test_a_chart_of_no_months_says_nothing_was_counted():
    svg = chart([], [])
    assert svg.get("role") == "img" and svg.findtext(f"{SVG}title") == "A chart"
    assert bars(svg) == []
    assert "No usage counted yet" in "".join(svg.itertext())


def test_a_chart_of_one_month_has_a_bar_for_each_series():
    svg = chart([datetime.date(2024, 5, 1)], [3])
    assert [bar.findtext(f"{SVG}title") for bar in bars(svg)] == [
        "Downloads, May 2024: 3",
        "Views, May 2024: 3",
    ]
    assert "No usage counted yet" not in "".join(svg.itertext())


def test_a_chart_of_many_months_scales_its_bars_and_thins_its_labels():
    months = last_months(36).months
    values = list(range(36))
    svg = chart(months, values)
    heights = [float(bar.get("height")) for bar in bars(svg)]
    assert len(heights) == 70  # the first month's zeros draw no bar
    assert heights[-1] == max(heights) and max(heights) <= 260
    labels = [text for text in svg.iter(f"{SVG}text") if text.get("text-anchor") == "middle"]
    assert 6 <= len(labels) <= 12


@pytest.fixture
def repository():
    """Three items in two divisions, used over two months of 2024."""
    Division.objects.create(code="econ", name="Economics")
    Division.objects.create(code="hist", name="History")
    article = make_article(title="An article", date="2021-04-05", id_number="10.5555/one")
    Creator.objects.create(item=article, position=1, family="Smith", given="Ann", orcid="0000-0002-1825-0097")
    make_document(article)
    report = make_item(title="A report", date="2019")
    thesis = make_item(title="A thesis", type=ItemType.THESIS, date="", institution="LSE")
    article.divisions.add("econ")
    report.divisions.add("econ", "hist")
    usage(
        article,
        datetime.date(2024, 1, 1),
        views=10,
        downloads=4,
        unique_views=8,
        unique_downloads=3,
        unique_investigations=9,
    )
    usage(
        article,
        datetime.date(2024, 2, 1),
        views=5,
        downloads=6,
        unique_views=5,
        unique_downloads=6,
        unique_investigations=7,
    )
    usage(
        report,
        datetime.date(2024, 2, 1),
        views=20,
        downloads=1,
        unique_views=15,
        unique_downloads=1,
        unique_investigations=15,
    )
    usage(thesis, datetime.date(2024, 1, 1), views=1, unique_views=1, unique_investigations=1)
    usage(thesis, datetime.date(2023, 12, 1), views=99)  # outside the period
    return article, report, thesis


PERIOD = "?from=2024-01&to=2024-02"


def test_the_statistics_page_shows_each_table_and_the_monthly_chart(client, repository):
    article, report, thesis = repository
    response = client.get(f"/cgi/stats/{PERIOD}")
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    assert page.findtext(".//h1") == "Statistics"
    assert (
        "January 2024 to February 2024: 11 downloads and 36 views"
        in page.xpath("//p[@class='lead']")[0].text_content()
    )
    tables = {
        section.findtext("h2"): [
            [cell.text_content() for cell in row] for row in section.xpath(".//tbody/tr")
        ]
        for section in page.xpath("//main//section")
        if section.xpath(".//table[@class='stats-table']")
    }
    assert tables["Most viewed items"] == [
        ["A report", "1", "20"],
        ["An article", "10", "15"],
        ["A thesis", "0", "1"],
    ]
    assert tables["Most downloaded items"] == [["An article", "10", "15"], ["A report", "1", "20"]]
    assert tables["By division"] == [["Economics", "11", "35"], ["History", "1", "20"]]
    assert tables["By year of the item"] == [
        ["2021", "10", "15"],
        ["2019", "1", "20"],
        ["Unspecified", "0", "1"],
    ]
    assert page.xpath("//svg[@class='stats-chart']/title")[0].text.endswith("January 2024 to February 2024")
    links = [link.get("href") for link in page.xpath("//a")]
    assert "/cgi/stats/top-items.csv?from=2024-01&to=2024-02" in links
    assert "/cgi/stats/counter/IR.tsv?from=2024-01&to=2024-02" in links


def test_an_empty_period_says_nothing_was_counted(client, repository):
    page = client.get("/cgi/stats/?from=2020-01&to=2020-03").content.decode()
    assert "Nothing was counted in this period." in page
    assert "No usage counted yet" in page


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_each_table_downloads_as_csv(client, repository):
    article, report, thesis = repository
    response = client.get(f"/cgi/stats/top-downloads.csv{PERIOD}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="stats-top-downloads-2024-01-2024-02.csv"' in response["Content-Disposition"]
    assert read_csv(response) == [
        ["Item", "ID", "Downloads", "Views"],
        ["An article", str(article.pk), "10", "15"],
        ["A report", str(report.pk), "1", "20"],
    ]
    months = read_csv(client.get(f"/cgi/stats/months.csv{PERIOD}"))
    assert months == [
        ["Month", "ID", "Downloads", "Views"],
        ["January 2024", "2024-01", "4", "11"],
        ["February 2024", "2024-02", "7", "25"],
    ]
    types = read_csv(client.get(f"/cgi/stats/types.csv{PERIOD}"))
    assert types[1:] == [
        ["Article", "article", "10", "15"],
        ["Monograph", "monograph", "1", "20"],
        ["Thesis", "thesis", "0", "1"],
    ]
    assert client.get(f"/cgi/stats/nonsense.csv{PERIOD}").status_code == 404


def test_the_item_report_has_the_codes_header_and_columns(client, repository, settings):
    article, report, thesis = repository
    response = client.get(f"/cgi/stats/counter/IR.tsv{PERIOD}")
    assert response["Content-Type"] == "text/tab-separated-values; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter="\t"))
    header = dict(row for row in rows[:12])
    assert [row[0] for row in rows[:12]] == [
        "Report_Name", "Report_ID", "Release", "Institution_Name", "Institution_ID", "Metric_Types",
        "Report_Filters", "Report_Attributes", "Exceptions", "Reporting_Period", "Created", "Created_By",
    ]  # fmt: skip
    assert header["Report_ID"] == "IR" and header["Release"] == "5"
    assert header["Metric_Types"] == (
        "Total_Item_Investigations; Unique_Item_Investigations; Total_Item_Requests; Unique_Item_Requests"
    )
    assert header["Reporting_Period"] == "Begin_Date=2024-01-01; End_Date=2024-02-29"
    assert datetime.datetime.strptime(header["Created"], "%Y-%m-%dT%H:%M:%SZ")
    assert header["Created_By"] == settings.REPOSITORY_NAME
    assert rows[12] == []
    headings = rows[13]
    assert headings[:13] == [
        "Item", "Publisher", "Publisher_ID", "Platform", "Authors", "Publication_Date", "Article_Version",
        "DOI", "Proprietary_ID", "ISBN", "Print_ISSN", "Online_ISSN", "URI",
    ]  # fmt: skip
    assert headings[-8:] == [
        "Data_Type", "YOP", "Access_Type", "Access_Method", "Metric_Type", "Reporting_Period_Total",
        "Jan-2024", "Feb-2024",
    ]  # fmt: skip
    body = [dict(zip(headings, row, strict=True)) for row in rows[14:]]
    of_article = [row for row in body if row["Item"] == "An article"]
    assert {
        row["Metric_Type"]: (row["Reporting_Period_Total"], row["Jan-2024"], row["Feb-2024"])
        for row in of_article
    } == {
        "Total_Item_Investigations": ("25", "14", "11"),
        "Unique_Item_Investigations": ("16", "9", "7"),
        "Total_Item_Requests": ("10", "4", "6"),
        "Unique_Item_Requests": ("9", "3", "6"),
    }
    first = of_article[0]
    assert first["DOI"] == "10.5555/one"
    assert first["Authors"] == "Family0, Given0; Smith, Ann (ORCID:0000-0002-1825-0097)"
    assert first["Publication_Date"] == "2021-04-05"
    assert (first["Data_Type"], first["YOP"], first["Access_Type"], first["Access_Method"]) == (
        "Article", "2021", "Other_Free_To_Read", "Regular",
    )  # fmt: skip
    assert (first["Parent_Title"], first["Parent_Data_Type"], first["Parent_Print_ISSN"]) == (
        "Journal of Things", "Journal", "2046-1836",
    )  # fmt: skip
    assert first["Proprietary_ID"] == f"demo:{article.pk}" and first["URI"] == article.uri
    of_thesis = [row for row in body if row["Item"] == "A thesis"]
    # Zero totals are left out; an unknown year is the Code's 0001.
    assert [row["Metric_Type"] for row in of_thesis] == [
        "Total_Item_Investigations",
        "Unique_Item_Investigations",
    ]
    assert of_thesis[0]["YOP"] == "0001" and of_thesis[0]["Access_Type"] == "Controlled"


def test_the_item_report_comes_as_csv_too(client, repository):
    response = client.get(f"/cgi/stats/counter/IR.csv{PERIOD}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert rows[0] == ["Report_Name", "Item Master Report"] and rows[12] == []
    assert len(rows) == 14 + 4 + 4 + 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=2024-13", "from must be a month written YYYY-MM"),
        ("?to=last-year", "to must be a month written YYYY-MM"),
        ("?from=2024-05&to=2024-01", "The period starts (2024-05) after it ends (2024-01)."),
        ("?from=2000-01&to=2024-01", "A period may span at most 120 months; this one spans 289."),
    ],
)
@pytest.mark.parametrize("url", ["/cgi/stats/", "/cgi/stats/months.csv", "/cgi/stats/counter/IR.tsv"])
def test_a_bad_period_is_answered_400_with_what_is_wrong(client, url, query, message):
    response = client.get(url + query)
    assert response.status_code == 400
    assert message in lxml.html.fromstring(response.content).xpath("//*[@role='alert']")[0].text_content()


def test_the_statistics_page_says_when_the_figures_were_counted(client, django_capture_on_commit_callbacks):
    assert "were counted on" not in client.get("/cgi/stats/").content.decode()
    UsageEvent.objects.create(time=timezone.now(), kind=UsageKind.VIEW, eprintid=1, session="a" * 32)
    with django_capture_on_commit_callbacks(execute=True):
        aggregation.aggregate()
    counted = timezone.localtime(AggregatedMonth.objects.get().aggregated)
    expected = f"these were counted on {counted.day} {counted:%b %Y %H:%M}."
    assert expected in client.get("/cgi/stats/").content.decode()
