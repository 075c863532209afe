"""Subject and division trees as search uses them: form choices, look-ups and levels."""

from dataclasses import dataclass
from functools import cached_property

from eprints_app.models import Division, Subject


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    path: str
    lineage: str
    parent: str | None


class Tree:
    """One classification tree, read with one query the first time it is needed."""

    def __init__(self, model: type[Subject] | type[Division]) -> None:
        self.model = model

    @cached_property
    def nodes(self) -> dict[str, Node]:
        rows = self.model.objects.order_by("lineage").values_list("code", "name", "path", "lineage", "parent")
        return {row[0]: Node(*row) for row in rows}

    def get(self, code: str) -> Node | None:
        return self.nodes.get(code)

    def children(self, node: Node | None) -> list[Node]:
        """The level below a node, or the top level."""
        parent = node.code if node else None
        return [child for child in self.nodes.values() if child.parent == parent]

    def choices(self) -> list[tuple[str, str]]:
        return [(node.code, node.path) for node in self.nodes.values()]


def subject_tree() -> Tree:
    return Tree(Subject)


def division_tree() -> Tree:
    return Tree(Division)
