"""METS: the MODS record wrapped with a file section that points at the public downloads.

EPrints offers METS for single items; a list here is one METS document whose structure
map has a division per item, each with its own MODS and files.
"""

from collections.abc import Sequence
from datetime import UTC

from django.conf import settings
from django.utils import timezone
from lxml import etree

from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.exports.mods import MODS_NS, MODS_SCHEMA, XLINK_NS, XSI_NS, mods_element
from eprints_app.exports.xmltext import sub, to_xml
from eprints_app.item_facts import download_url, open_documents
from eprints_app.models import Item

METS_NS = "http://www.loc.gov/METS/"
METS_SCHEMA = "http://www.loc.gov/standards/mets/mets.xsd"
NSMAP = {"mets": METS_NS, "mods": MODS_NS, "xlink": XLINK_NS, "xsi": XSI_NS}
T = f"{{{METS_NS}}}"
HREF = f"{{{XLINK_NS}}}href"


def mets_element(items: Sequence[Item]) -> etree._Element:
    mets = etree.Element(f"{T}mets", nsmap=NSMAP)
    mets.set(f"{{{XSI_NS}}}schemaLocation", f"{METS_NS} {METS_SCHEMA} {MODS_NS} {MODS_SCHEMA}")
    if len(items) == 1:
        mets.set("OBJID", items[0].uri)
        mets.set("LABEL", "Eprints Item")
    header = sub(
        mets, f"{T}metsHdr", CREATEDATE=timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    agent = sub(header, f"{T}agent", ROLE="CUSTODIAN", TYPE="ORGANIZATION")
    sub(agent, f"{T}name", settings.REPOSITORY_NAME)

    for item in items:
        wrap = sub(sub(mets, f"{T}dmdSec", ID=f"DMD_eprint_{item.pk}_mods"), f"{T}mdWrap", MDTYPE="MODS")
        sub(wrap, f"{T}xmlData").append(mods_element(item, root=False))

    files = {item.pk: open_documents(item) for item in items}
    if any(files.values()):
        group = sub(sub(mets, f"{T}fileSec"), f"{T}fileGrp", USE="reference")
        for documents in files.values():
            for document in documents:
                file = sub(
                    group,
                    f"{T}file",
                    ID=f"eprint_{document.item_id}_document_{document.pos}",
                    MIMETYPE=document.mime_type,
                    SIZE=str(document.filesize),
                )
                if document.sha256:
                    file.set("CHECKSUM", document.sha256)
                    file.set("CHECKSUMTYPE", "SHA-256")
                location = sub(file, f"{T}FLocat", LOCTYPE="URL")
                location.set(HREF, download_url(document))

    division = sub(sub(mets, f"{T}structMap"), f"{T}div")
    for item in items:
        item_div = division if len(items) == 1 else sub(division, f"{T}div")
        item_div.set("DMDID", f"DMD_eprint_{item.pk}_mods")
        for document in files[item.pk]:
            sub(item_div, f"{T}fptr", FILEID=f"eprint_{document.item_id}_document_{document.pos}")
    return mets


@register
class METS(ExportFormat):
    identifier = "METS"
    name = "METS"
    extension = "xml"
    content_type = "application/xml; charset=utf-8"
    oai_prefix = "mets"
    oai_namespace = METS_NS
    oai_schema = METS_SCHEMA

    def render(self, items: Sequence[Item]) -> str:
        return to_xml(mets_element(items))

    def render_oai(self, item: Item) -> str:
        return to_xml(mets_element([item]), declaration=False)
