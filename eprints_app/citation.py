"""EPrints' default citation (eprints.md §3), as parts a template can style.

"Ahmar, Moonis (2021) Changing dynamics of ... soft power. LSE IDEAS Reports. LSE Ideas, London, UK."
"""

from dataclasses import dataclass

from eprints_app.enums import ItemType, PublicationStatus
from eprints_app.item_facts import authors, editors, subtype_label, thesis_label
from eprints_app.models import Item

STATUS_SUFFIX = {
    PublicationStatus.IN_PRESS: "(In Press)",
    PublicationStatus.SUBMITTED: "(Submitted)",
    PublicationStatus.UNPUBLISHED: "(Unpublished)",
}


@dataclass(frozen=True)
class Citation:
    names: str
    year: str
    title: str
    tail: str

    @property
    def text(self) -> str:
        lead = " ".join(part for part in (self.names, f"({self.year})" if self.year else "") if part)
        return " ".join(part for part in (lead, self.title, self.tail) if part)


def join_names(names: list[str]) -> str:
    """EPrints' list of names: "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def sentence(text: str) -> str:
    """The text with a full stop, unless it already ends a sentence."""
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


def joined(*parts: str, sep: str = ", ") -> str:
    return sep.join(part for part in parts if part)


def pages(item: Item) -> str:
    return f"pp. {item.pagerange}" if item.pagerange else ""


def tail_for(item: Item) -> str:
    """The part after the title, by item type."""
    published_by = sentence(joined(item.publisher, item.place_of_pub))
    if item.type == ItemType.MONOGRAPH:
        kind = item.series or subtype_label(item)
        return joined(sentence(kind), published_by, sep=" ")
    if item.type == ItemType.ARTICLE:
        journal = item.publication
        if item.volume:
            journal = joined(journal, item.volume)
        if item.number:
            journal = f"{journal} ({item.number})"
        text = joined(sentence(journal), sentence(pages(item)), sep=" ")
        return joined(text, f"ISSN {item.issn}" if item.issn else "", sep=" ")
    if item.type == ItemType.BOOK:
        return joined(published_by, f"ISBN {item.isbn}" if item.isbn else "", sep=" ")
    if item.type == ItemType.BOOK_SECTION:
        where = sentence(f"In: {item.book_title}") if item.book_title else ""
        return joined(where, sentence(joined(item.publisher, item.place_of_pub, pages(item))), sep=" ")
    if item.type == ItemType.CONFERENCE_ITEM:
        return sentence(
            joined(
                f"In: {item.event_title}" if item.event_title else "", item.event_dates, item.event_location
            )
        )
    if item.type == ItemType.THESIS:
        return sentence(joined(thesis_label(item), item.institution))
    return published_by


def build_citation(item: Item) -> Citation:
    """The citation of an item whose creators are prefetched (no further queries)."""
    creators = [person.name for person in authors(item)]
    names = join_names(creators)
    if not creators:
        edited_by = [person.name for person in editors(item)]
        if edited_by:
            names = join_names(edited_by) + (" (eds.)" if len(edited_by) > 1 else " (ed.)")
    tail = joined(tail_for(item), STATUS_SUFFIX.get(item.ispublished, ""), sep=" ")
    return Citation(names=names, year=item.year, title=sentence(item.title), tail=tail)
