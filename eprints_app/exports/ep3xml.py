"""EP3 XML: EPrints' own format (eprints.md §5), the one its importer reads.

One element per field, repeated values in <item>, booleans TRUE/FALSE, times
"YYYY-MM-DD hh:mm:ss", documents and their files as EPrints writes them. Staff only, as in
EPrints 3.4.6 and later: it carries email addresses and the depositor.
"""

from collections.abc import Sequence
from typing import Any

from lxml import etree

from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.exports.ep3 import EP3_NS, eprint_record
from eprints_app.exports.xmltext import sub, to_xml
from eprints_app.models import Item

E = f"{{{EP3_NS}}}"
# Lists whose members are not called <item>.
LIST_MEMBERS = {"documents": "document", "files": "file"}


def add(parent: etree._Element, name: str, value: Any) -> None:
    """Write a value of the record: a dict as child elements (its "uri" as the id attribute),
    a list as members, a boolean as TRUE/FALSE, anything else as text."""
    if isinstance(value, dict):
        element = sub(parent, f"{E}{name}")
        if "uri" in value:
            element.set("id", value["uri"])
        for key, inner in value.items():
            if key != "uri":
                add(element, key, inner)
    elif isinstance(value, list):
        element = sub(parent, f"{E}{name}")
        for member in value:
            add(element, LIST_MEMBERS.get(name, "item"), member)
    elif isinstance(value, bool):
        sub(parent, f"{E}{name}", "TRUE" if value else "FALSE")
    else:
        sub(parent, f"{E}{name}", value)


@register
class EP3XML(ExportFormat):
    identifier = "XML"
    name = "EP3 XML"
    extension = "xml"
    content_type = "application/xml; charset=utf-8"
    public = False

    def render(self, items: Sequence[Item]) -> str:
        root = etree.Element(f"{E}eprints", nsmap={None: EP3_NS})
        for item in items:
            add(root, "eprint", eprint_record(item))
        return to_xml(root)
