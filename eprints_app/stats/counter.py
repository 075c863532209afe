"""The COUNTER Release 5 Item Master Report (IR) as a tabular report (TSV, or CSV).

Laid out as the Code of Practice gives it (R5.0.2, section 4.4 and 3.2): twelve header rows of
name and value, a blank row, the column headings, then one row per item and metric type with
the period's total and a column per month (``Mmm-yyyy``). Parent details are included (the
journal of an article, the book of a chapter); component details are not. Rows whose total is
zero are left out, as the Code asks. All use is reported (no institution: "The World").
"""

import csv
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse

from eprints_app import item_facts
from eprints_app.enums import ItemType
from eprints_app.models import Item, MonthlyUsage
from eprints_app.stats.periods import Period

METRIC_TYPES = (
    "Total_Item_Investigations",
    "Unique_Item_Investigations",
    "Total_Item_Requests",
    "Unique_Item_Requests",
)
ATTRIBUTES = "Authors|Publication_Date|Article_Version|Data_Type|YOP|Access_Type|Access_Method"
ITEM_COLUMNS = (
    "Item",
    "Publisher",
    "Publisher_ID",
    "Platform",
    "Authors",
    "Publication_Date",
    "Article_Version",
    "DOI",
    "Proprietary_ID",
    "ISBN",
    "Print_ISSN",
    "Online_ISSN",
    "URI",
)
PARENT_COLUMNS = (
    "Parent_Title",
    "Parent_Authors",
    "Parent_Publication_Date",
    "Parent_Article_Version",
    "Parent_Data_Type",
    "Parent_DOI",
    "Parent_Proprietary_ID",
    "Parent_ISBN",
    "Parent_Print_ISSN",
    "Parent_Online_ISSN",
    "Parent_URI",
)
ATTRIBUTE_COLUMNS = (
    "Data_Type",
    "YOP",
    "Access_Type",
    "Access_Method",
    "Metric_Type",
    "Reporting_Period_Total",
)
# EPrints' types as COUNTER's Data_Types.
DATA_TYPES = {
    ItemType.ARTICLE: "Article",
    ItemType.BOOK: "Book",
    ItemType.BOOK_SECTION: "Book_Segment",
    ItemType.THESIS: "Thesis_or_Dissertation",
    ItemType.MONOGRAPH: "Report",
    ItemType.DATASET: "Dataset",
    ItemType.IMAGE: "Multimedia",
    ItemType.VIDEO: "Multimedia",
    ItemType.AUDIO: "Multimedia",
}
ARTICLE_VERSIONS = {"accepted": "AM", "published": "VoR", "submitted": "AO"}
CHUNK = 500


def header(period: Period, created: datetime) -> list[list[str]]:
    return [
        ["Report_Name", "Item Master Report"],
        ["Report_ID", "IR"],
        ["Release", "5"],
        ["Institution_Name", "The World"],
        ["Institution_ID", ""],
        ["Metric_Types", "; ".join(METRIC_TYPES)],
        ["Report_Filters", "Access_Method=Regular"],
        ["Report_Attributes", f"Attributes_To_Show={ATTRIBUTES}; Include_Parent_Details=True"],
        ["Exceptions", ""],
        ["Reporting_Period", f"Begin_Date={period.first:%Y-%m-%d}; End_Date={period.end_date:%Y-%m-%d}"],
        ["Created", created.strftime("%Y-%m-%dT%H:%M:%SZ")],
        ["Created_By", settings.REPOSITORY_NAME],
        [],
    ]


def column_headings(period: Period) -> list[str]:
    return [
        *ITEM_COLUMNS,
        *PARENT_COLUMNS,
        *ATTRIBUTE_COLUMNS,
        *(f"{month:%b-%Y}" for month in period.months),
    ]


def author_list(item: Item) -> str:
    names = []
    for person in item_facts.authors(item):
        names.append(f"{person.name} (ORCID:{person.orcid})" if person.orcid else person.name)
    return "; ".join(names)


def describe(item: Item) -> list[str]:
    """The item's columns, before the metric's."""
    parts = item_facts.date_parts(item)
    article = item.type == ItemType.ARTICLE
    chapter = item.type == ItemType.BOOK_SECTION
    open_documents = item_facts.open_documents(item)
    version = ARTICLE_VERSIONS.get(open_documents[0].content, "") if article and open_documents else ""
    own = [
        item.title,
        item.publisher,
        "",
        settings.REPOSITORY_NAME,
        author_list(item),
        item.date if len(parts) == 3 else "",
        version,
        item_facts.doi(item),
        f"{settings.REPOSITORY_ID}:{item.pk}",
        "" if chapter else item.isbn,
        "" if article else item.issn,
        "",
        item.uri,
    ]
    if article and item.publication:
        parent = [item.publication, "", "", "", "Journal", "", "", "", item.issn, "", ""]
    elif chapter and item.book_title:
        parent = [item.book_title, "", "", "", "Book", "", "", item.isbn, "", "", ""]
    else:
        parent = [""] * len(PARENT_COLUMNS)
    attributes = [
        DATA_TYPES.get(item.type, "Other"),
        f"{parts[0]:04d}" if parts else "0001",  # the Code's "unknown" year
        "Other_Free_To_Read" if open_documents else "Controlled",
        "Regular",
    ]
    return own + parent + attributes


def body(period: Period) -> list[list]:
    usage: dict[int, dict] = {}
    rows = MonthlyUsage.objects.filter(month__gte=period.first, month__lte=period.last)
    for row in rows.order_by("eprintid", "month"):
        metrics = usage.setdefault(row.eprintid, {metric: {} for metric in METRIC_TYPES})
        metrics["Total_Item_Investigations"][row.month] = row.investigations
        metrics["Unique_Item_Investigations"][row.month] = row.unique_investigations
        metrics["Total_Item_Requests"][row.month] = row.downloads
        metrics["Unique_Item_Requests"][row.month] = row.unique_downloads
    eprintids = sorted(usage)
    lines = []
    for start in range(0, len(eprintids), CHUNK):
        items = Item.objects.filter(pk__in=eprintids[start : start + CHUNK]).with_parts()
        for item in sorted(items, key=lambda item: item.pk):
            described = describe(item)
            for metric, months in usage[item.pk].items():
                counts = [months.get(month, 0) for month in period.months]
                if sum(counts):
                    lines.append([*described, metric, sum(counts), *counts])
    return lines


def item_report(period: Period, created: datetime) -> list[list]:
    """The whole report, row by row."""
    return [*header(period, created), column_headings(period), *body(period)]


def report_response(period: Period, created: datetime, delimiter: str) -> HttpResponse:
    """The report as TSV (``\\t``, the Code's tabular form) or CSV, UTF-8, as a download."""
    extension, media_type = ("tsv", "text/tab-separated-values") if delimiter == "\t" else ("csv", "text/csv")
    response = HttpResponse(content_type=f"{media_type}; charset=utf-8")
    name = f"{settings.REPOSITORY_ID}-IR-{period.first:%Y-%m}-{period.last:%Y-%m}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response, delimiter=delimiter, lineterminator="\r\n")
    for row in item_report(period, created):
        # One line a row: tabs and line breaks in a title would otherwise split it in TSV.
        writer.writerow([" ".join(cell.split()) if isinstance(cell, str) else cell for cell in row])
    return response
