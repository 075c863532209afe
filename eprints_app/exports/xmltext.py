"""Small lxml helpers shared by the XML formats and OAI-PMH: every string goes in through
``xml_text`` (``eprints_app.text``), so that no value can stop a document."""

from lxml import etree

from eprints_app.text import FORBIDDEN, xml_text

__all__ = ["DECLARATION", "FORBIDDEN", "sub", "sub_if", "to_xml", "xml_text"]

DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def sub(parent: etree._Element, tag: str, text: object = None, **attrib: str) -> etree._Element:
    """A child element with cleaned text and attributes."""
    child = etree.SubElement(parent, tag, {key: xml_text(value) for key, value in attrib.items()})
    if text is not None:
        child.text = xml_text(text)
    return child


def sub_if(parent: etree._Element, tag: str, text: object, **attrib: str) -> etree._Element | None:
    """A child element, only when there is text to put in it."""
    if text is None or str(text).strip() == "":
        return None
    return sub(parent, tag, text, **attrib)


def to_xml(root: etree._Element, *, declaration: bool = True) -> str:
    """The element as an indented document (with an XML declaration unless it is to be embedded)."""
    etree.indent(root, space="  ")
    body = etree.tostring(root, encoding="unicode")
    return f"{DECLARATION}{body}\n" if declaration else body
