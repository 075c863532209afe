"""OAI-PMH sets (protocol §2.6), readable rather than EPrints' hex-encoded ones (eprints.md §6).

- ``types``, ``types:article``: by item type;
- ``status``, ``status:pub``: by publication status;
- ``subjects``, ``subjects:J``, ``subjects:J:JZ``: by subject, hierarchically: an item in JZ
  is in ``subjects:J:JZ``, ``subjects:J`` and ``subjects`` (``Subject.lineage`` is the path);
- ``divisions``, ``divisions:...``: by division, in the same way;
- ``driver``: open access, the DRIVER guidelines' set: items with at least one public
  document that is not under embargo.

ListSets lists every set the vocabularies and trees define, whether or not it has items
(as EPrints does): the list costs two small queries, and an empty set answers noRecordsMatch.
Deleted records keep the sets their item was in, so selective harvesters learn of them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from eprints_app.enums import ItemType, PublicationStatus, Security
from eprints_app.models import Division, Document, Item, Subject
from eprints_app.oai.arguments import SET_SPEC
from eprints_app.text import xml_text

DRIVER = "driver"


@dataclass(frozen=True)
class OAISet:
    spec: str
    name: str


def all_sets() -> list[OAISet]:
    sets = [OAISet("types", "Item Type")]
    sets += [OAISet(f"types:{value}", f"Item Type = {label}") for value, label in ItemType.choices]
    sets.append(OAISet("status", "Status"))
    sets += [OAISet(f"status:{value}", f"Status = {label}") for value, label in PublicationStatus.choices]
    for family, model, label in (("subjects", Subject, "Subject"), ("divisions", Division, "Division")):
        sets.append(OAISet(family, label))
        sets += [
            # Names are typed in the admin, which lets through characters XML cannot hold.
            OAISet(f"{family}:{lineage}", xml_text(f"{label} = {path}"))
            for lineage, path in model.objects.order_by("lineage").values_list("lineage", "path")
        ]
    sets.append(OAISet(DRIVER, "Open Access (DRIVER)"))
    return [s for s in sets if SET_SPEC.match(s.spec)]


def _in_tree(field: str, lineage: str | None) -> Exists:
    """Items classified under the node with this lineage, or under any node when None."""
    through = getattr(Item, field).through
    links = through.objects.filter(item_id=OuterRef("pk"))
    if lineage is not None:
        node = field.removesuffix("s")
        links = links.filter(
            Q(**{f"{node}__lineage": lineage}) | Q(**{f"{node}__lineage__startswith": f"{lineage}:"})
        )
    return Exists(links)


def _by_value(field: str, values: list[str]) -> Callable[[str | None], Q | None]:
    def condition(value: str | None) -> Q | None:
        if value is None:
            return ~Q(**{field: ""})
        return Q(**{field: value}) if value in values else None

    return condition


CONDITIONS: dict[str, Callable[[str | None], Q | Exists | None]] = {
    "types": _by_value("type", ItemType.values),
    "status": _by_value("ispublished", PublicationStatus.values),
    "subjects": lambda lineage: _in_tree("subjects", lineage),
    "divisions": lambda lineage: _in_tree("divisions", lineage),
}


def condition(spec: str) -> Q | Exists | None:
    """A filter on items for a setSpec; None for a set that does not exist."""
    if spec == DRIVER:
        return Exists(Document.objects.public_now().filter(item_id=OuterRef("pk")))
    family, _, rest = spec.partition(":")
    make = CONDITIONS.get(family)
    return make(rest or None) if make else None


def set_specs(item: Item) -> list[str]:
    """The sets an item (from ``Item.objects.with_parts()``) is in, most specific only."""
    specs = [f"types:{item.type}"]
    if item.ispublished:
        specs.append(f"status:{item.ispublished}")
    specs += [f"subjects:{subject.lineage}" for subject in item.subject_list]
    specs += [f"divisions:{division.lineage}" for division in item.division_list]
    if any(document.effective_security == Security.PUBLIC for document in item.document_list):
        specs.append(DRIVER)
    return [spec for spec in specs if SET_SPEC.match(spec)]
