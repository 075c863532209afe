"""Dublin Core: EPrints' "DC" export and the oai_dc OAI-PMH format (eprints.md §5, §6).

The element mapping follows EPrints' DC plugin (compare eprints-output/export_1_DC.txt):
the item URI, title, creators, subjects, abstract, publisher, editors, date, type and
refereed status, then each openly downloadable document (format, language, licence,
URL), the citation, the DOI and the official URL. No email address is ever included.
Where EPrints writes the document type ("text") as dc:format and the licence code as
dc:rights, we write the MIME type and the licence URL, as DCMI and OpenAIRE recommend.
"""

import re
from collections.abc import Sequence

from lxml import etree

from eprints_app.citation import build_citation
from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.item_facts import (
    authors,
    document_licence_url,
    doi_url,
    download_url,
    editors,
    open_documents,
    type_name,
)
from eprints_app.models import Item
from eprints_app.text import xml_text

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def dublin_core(item: Item) -> list[tuple[str, str]]:
    """The item's Dublin Core elements as (element, value) pairs, in EPrints' order.

    The item must come from ``Item.objects.with_parts()``: no queries are made.
    """
    pairs = [("relation", item.uri), ("title", item.title)]
    pairs += [("creator", person.name) for person in authors(item)]
    pairs += [("subject", subject.name) for subject in item.subject_list]
    pairs += [("description", item.abstract), ("publisher", item.publisher)]
    pairs += [("contributor", person.name) for person in editors(item)]
    pairs += [
        ("date", item.date),
        ("type", type_name(item)),
        ("type", "PeerReviewed" if item.refereed else "NonPeerReviewed"),
    ]
    for document in open_documents(item):
        pairs += [
            ("format", document.mime_type or document.format),
            ("language", document.language),
            ("rights", document_licence_url(document)),
            ("identifier", download_url(document)),
        ]
    pairs.append(("identifier", build_citation(item).text))
    pairs.append(("identifier", doi_url(item) or item.id_number.strip()))
    pairs.append(("relation", item.official_url))
    # Several documents often share a format, language or licence: say each once.
    seen: set[tuple[str, str]] = set()
    result = []
    for name, value in pairs:
        value = xml_text(value).strip()
        if value and (name, value) not in seen:
            seen.add((name, value))
            result.append((name, value))
    return result


@register
class DublinCore(ExportFormat):
    identifier = "DC"
    name = "Dublin Core"
    extension = "txt"
    content_type = "text/plain; charset=utf-8"
    oai_prefix = "oai_dc"
    oai_namespace = OAI_DC_NS
    oai_schema = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

    def render(self, items: Sequence[Item]) -> str:
        """One "element: value" line per element, a blank line between items."""
        return "\n".join(
            "".join(f"{name}: {LINE_BREAKS.sub(' ', value)}\n" for name, value in dublin_core(item))
            for item in items
        )

    def render_oai(self, item: Item) -> str:
        root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
        root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {self.oai_schema}")
        for name, value in dublin_core(item):
            etree.SubElement(root, f"{{{DC_NS}}}{name}").text = value
        return etree.tostring(root, encoding="unicode")
