"""Authors (creators of live items) for browsing: one person per ORCID iD, otherwise per name.

A person's slug is their ORCID iD when the record gives one, so that every spelling of a name
with the same iD is one person; otherwise it is the name, "family given", made a slug.
"""

import hashlib
import re
import string
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.text import slugify

from eprints_app.browse.cache import cached
from eprints_app.enums import CreatorRole
from eprints_app.models import Creator, Item

#: The index's letters: A to Z, then everyone else (names that start with a digit, or
#: with a letter that has no A–Z base, such as Ł).
LETTERS = list(string.ascii_uppercase) + ["Other"]
OTHER = LETTERS[-1]
ORCID_SLUG = re.compile(r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9x]")


@dataclass(frozen=True)
class Person:
    slug: str
    family: str
    given: str
    orcid: str
    #: Live items naming them as a creator.
    count: int
    #: Every (family, given) under which they are recorded.
    spellings: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return f"{self.family}, {self.given}" if self.given else self.family

    @property
    def url(self) -> str:
        return reverse("browse_creator", args=[self.slug])


def person_slug(family: str, given: str, orcid: str) -> str:
    if orcid:
        return orcid.lower()
    slug = slugify(f"{family} {given}", allow_unicode=True)
    # A name of punctuation alone slugs to nothing; it still needs an address.
    return slug or "name-" + hashlib.sha256(f"{family}\t{given}".encode()).hexdigest()[:12]


def folded(text: str) -> str:
    """Lower case without accents, for filing: "Émile" -> "emile"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def initial(family: str) -> str:
    """The index letter a family name is filed under: its first letter without accents."""
    letter = next((c for c in folded(family) if c.isalnum()), "").upper()
    return letter if letter and letter in string.ascii_uppercase else OTHER


def people() -> dict[str, Person]:
    """Every author of a live item, by slug, in one query."""
    return cached(("people",), _creators)


def _creators(near: Q | None = None) -> dict[str, Person]:
    """The authors of live items among the creators ``near`` selects (all by default), by slug."""
    rows = Creator.objects.filter(role=CreatorRole.CREATOR, item__in=Item.objects.live())
    if near is not None:
        rows = rows.filter(near)
    counted = rows.values_list("orcid", "family", "given").annotate(count=Count("item", distinct=True))
    spellings: dict[str, list[tuple[int, str, str, str]]] = defaultdict(list)
    for orcid, family, given, count in counted.order_by():
        spellings[person_slug(family, given, orcid)].append((count, family, given, orcid))
    found = {}
    for slug, names in spellings.items():
        # The spelling on most items names the person. Counts are added up: an item that
        # names one person twice, under two spellings, would be counted twice.
        _, family, given, orcid = min(names, key=lambda n: (-n[0], n[1], n[2]))
        found[slug] = Person(
            slug=slug,
            family=family,
            given=given,
            orcid=orcid,
            count=sum(n[0] for n in names),
            spellings=tuple(sorted((n[1], n[2]) for n in names)),
        )
    return found


def person(slug: str) -> Person | None:
    return cached(("person", slug), lambda: _find(slug))


def _find(slug: str) -> Person | None:
    """The person with ``slug``, looked for among the few creators it can belong to: those with
    that ORCID iD, or those whose family name starts with the slug's first letter. Names that
    slug from a later character (a leading apostrophe, say) are found among everyone."""
    if ORCID_SLUG.fullmatch(slug):
        near = Q(orcid=slug.upper())
    else:
        near = Q(orcid="") & (Q(family__startswith=slug[0]) | Q(family__startswith=slug[0].upper()))
    return _creators(near).get(slug) or people().get(slug)


def letters() -> list[tuple[str, int]]:
    """The index letters that have people, with how many."""

    def build() -> list[tuple[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for found in people().values():
            counts[initial(found.family)] += 1
        return [(letter, counts[letter]) for letter in LETTERS if counts[letter]]

    return cached(("letters",), build)


def filed_under(letter: str) -> list[Person]:
    """The people filed under ``letter``, by family name then given name."""

    def build() -> list[Person]:
        found = [p for p in people().values() if initial(p.family) == letter]
        return sorted(found, key=lambda p: (folded(p.family), folded(p.given), p.slug))

    return cached(("letter", letter), build)


def items_of(found: Person) -> QuerySet[Item]:
    """Live items that name the person as a creator."""
    if found.orcid:
        match = Q(orcid=found.orcid)
    else:
        match = Q(orcid="") & reduce(or_, (Q(family=f, given=g) for f, g in found.spellings))
    creators = Creator.objects.filter(match, role=CreatorRole.CREATOR).values("item_id")
    return Item.objects.live().filter(pk__in=creators)
