"""CSV: one row per item, for spreadsheets. Staff only: it carries email addresses.

Repeated values share a cell, joined by "; " (and aligned: the n-th creator's name, email
and ORCID iD are the n-th parts of their cells). Cells that a spreadsheet would run as a
formula get a leading apostrophe.
"""

import csv
import io
from collections.abc import Sequence
from typing import Any

from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.exports.ep3 import BIBLIOGRAPHIC_FIELDS, eprint_record
from eprints_app.models import Item
from eprints_app.text import one_line

HEAD = ("eprintid", "uri", "eprint_status", "userid", "datestamp", "lastmod", "status_changed", "type")
PEOPLE = ("creators", "editors")
TAIL = ("title", "ispublished", "subjects", "divisions", "full_text_status", *BIBLIOGRAPHIC_FIELDS)
COLUMNS = [
    *HEAD,
    *(f"{role}_{part}" for role in PEOPLE for part in ("name", "id", "orcid")),
    *TAIL,
    "refereed",
    "contact_email",
    "documents",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    text = one_line(value) if value is not None else ""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def joined(values: list[str]) -> str:
    """Values in one cell, blanks kept so that positions line up; "" when all are blank."""
    return "; ".join(values) if any(values) else ""


def row(item: Item) -> dict[str, str]:
    record = eprint_record(item)
    values: dict[str, Any] = {name: record.get(name) for name in COLUMNS}
    for role in PEOPLE:
        people = record.get(role, [])
        values[f"{role}_name"] = joined([", ".join(filter(None, p["name"].values())) for p in people])
        values[f"{role}_id"] = joined([p.get("id", "") for p in people])
        values[f"{role}_orcid"] = joined([p.get("orcid", "") for p in people])
    values["subjects"] = "; ".join(record.get("subjects", []))
    values["divisions"] = "; ".join(record.get("divisions", []))
    values["documents"] = "; ".join(d["files"][0]["url"] for d in record.get("documents", []))
    return {name: cell(value) for name, value in values.items()}


@register
class CSVExport(ExportFormat):
    identifier = "CSV"
    name = "CSV"
    extension = "csv"
    content_type = "text/csv; charset=utf-8"
    public = False

    def render(self, items: Sequence[Item]) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(row(item) for item in items)
        return out.getvalue()
