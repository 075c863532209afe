"""Text that XML 1.0 can carry, and small lxml helpers shared by the XML formats and OAI-PMH.

Metadata is typed in by people and migrated from other systems: it can hold control
characters (a vertical tab pasted from Word, \\x01 from a bad conversion) that XML 1.0
forbids and that lxml refuses with "All strings must be XML compatible". Every string
that goes into an XML document passes through ``xml_text`` first.
"""

import re

from lxml import etree

# XML 1.0 §2.2 Char: everything except C0 controls other than tab, LF and CR,
# the surrogate block (only reachable as lone surrogates) and U+FFFE/U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def xml_text(value: object) -> str:
    """The value as text with the characters that XML 1.0 forbids removed."""
    return FORBIDDEN.sub("", str(value))


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
