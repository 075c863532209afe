"""Text that every output can carry: XML 1.0 documents, HTML pages and one-line formats.

Metadata is typed in by people and migrated from other systems: it can hold control
characters (a vertical tab pasted from Word, \\x01 from a bad conversion) that XML 1.0
forbids and that lxml refuses with "All strings must be XML compatible". Every string
that goes into an XML document passes through ``xml_text`` first.
"""

import re

# XML 1.0 §2.2 Char: everything except C0 controls other than tab, LF and CR,
# the surrogate block (only reachable as lone surrogates) and U+FFFE/U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """The value as text with the characters that XML 1.0 forbids removed."""
    return FORBIDDEN.sub("", str(value))


def one_line(value: object) -> str:
    """Text for line-based formats: no control characters, whitespace runs made one space."""
    return " ".join(xml_text(value).split())
