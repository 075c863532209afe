"""What the page's vocabularies share: tags as (name, content) pairs, and how they are
cleaned. The values themselves are the item's facts (``eprints_app.item_facts``)."""

from eprints_app.text import xml_text

Tag = tuple[str, str]


def non_empty(tags: list[Tag]) -> list[Tag]:
    """(name, content) pairs without the characters XML and HTML cannot carry, empty ones dropped."""
    cleaned = ((name, xml_text(value).strip()) for name, value in tags)
    return [(name, value) for name, value in cleaned if value]
