"""OpenURL ContextObject XML (Z39.88-2004): one context object per item, for link resolvers."""

from collections.abc import Sequence
from datetime import UTC

from lxml import etree

from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.exports.openurl import Referent, referent, referrer_id
from eprints_app.exports.xmltext import sub, sub_if, to_xml
from eprints_app.models import Item

CTX_NS = "info:ofi/fmt:xml:xsd:ctx"
REGISTRY = "http://www.openurl.info/registry/docs/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
C = f"{{{CTX_NS}}}"
SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"
PREFIXES = {"journal": "jnl", "book": "bk", "dissertation": "dis"}


def metadata_element(ref: Referent) -> tuple[str, etree._Element]:
    """The format's identifier and its metadata element (journal, book, dissertation or oai_dc)."""
    if ref.format == "dc":
        dc = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS})
        for key, value in ref.fields:
            sub(dc, f"{{{DC_NS}}}{key}", value)
        return "info:ofi/fmt:xml:xsd:oai_dc", dc
    namespace = f"info:ofi/fmt:xml:xsd:{ref.format}"
    n = f"{{{namespace}}}"
    root = etree.Element(f"{n}{ref.format}", nsmap={PREFIXES[ref.format]: namespace})
    root.set(SCHEMA_LOCATION, f"{namespace} {REGISTRY}{namespace}")
    if ref.authors:
        people = sub(root, f"{n}authors")
        for person in ref.authors:
            author = sub(people, f"{n}author")
            sub(author, f"{n}aulast", person.family)
            sub_if(author, f"{n}aufirst", person.given)
    for key, value in ref.fields:
        sub(root, f"{n}{key}", value)
    return namespace, root


def context_object(parent: etree._Element, item: Item) -> None:
    ref = referent(item)
    stamp = item.last_modified.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ctx = sub(parent, f"{C}context-object", timestamp=stamp, version="Z39.88-2004", identifier=item.uri)
    entity = sub(ctx, f"{C}referent")
    for identifier in ref.identifiers:
        sub(entity, f"{C}identifier", identifier)
    by_value = sub(entity, f"{C}metadata-by-val")
    format_id, metadata = metadata_element(ref)
    sub(by_value, f"{C}format", format_id)
    sub(by_value, f"{C}metadata").append(metadata)
    sub(sub(ctx, f"{C}referrer"), f"{C}identifier", referrer_id())


@register
class ContextObject(ExportFormat):
    identifier = "ContextObject"
    name = "OpenURL ContextObject"
    extension = "xml"
    content_type = "application/xml; charset=utf-8"

    def render(self, items: Sequence[Item]) -> str:
        root = etree.Element(f"{C}context-objects", nsmap={"ctx": CTX_NS, "xsi": XSI_NS})
        root.set(SCHEMA_LOCATION, f"{CTX_NS} {REGISTRY}{CTX_NS}")
        for item in items:
            context_object(root, item)
        return to_xml(root)
