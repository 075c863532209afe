"""The subject and division trees with the number of live items in each node and below it.

An item filed under JZ counts for JZ and for J; an item filed under both J and JZ counts once.
Nodes without items anywhere below them are left out of the trees shown.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse

from eprints_app.browse.cache import cached
from eprints_app.models import Division, Item, Subject
from eprints_app.models.classification import TreeNode

#: The trees that can be browsed, by the Item field (and URL segment) that names them.
TREES: dict[str, type[TreeNode]] = {"subjects": Subject, "divisions": Division}


@dataclass
class Node:
    code: str
    name: str
    path: str
    lineage: str
    count: int
    url: str
    #: Children with items, in tree order.
    children: list["Node"] = field(default_factory=list)


@dataclass
class Tree:
    name: str
    #: Roots with items, in tree order.
    roots: list[Node]
    #: Every node by code, with or without items.
    nodes: dict[str, Node]

    def ancestors(self, node: Node) -> list[Node]:
        """The nodes above ``node``, from the root down."""
        return [self.nodes[code] for code in node.lineage.split(":")[:-1] if code in self.nodes]

    def items_at_or_below(self, node: Node) -> QuerySet[Item]:
        """Live items filed at ``node`` or anywhere below it."""
        below = [n.code for n in self.nodes.values() if node.code in n.lineage.split(":")]
        # From the link table, where the node's codes are indexed, not from the items.
        link = getattr(Item, self.name).through
        filed = link.objects.filter(**{f"{TREES[self.name]._meta.model_name}_id__in": below})
        return Item.objects.live().filter(pk__in=filed.values("item_id"))


def tree(name: str) -> Tree:
    """The whole tree ``name`` ("subjects" or "divisions") with its counts, in three queries."""
    return cached(("tree", name), lambda: _build(name))


def branch(name: str, code: str) -> Tree | None:
    """The tree ``name`` counted for the branch under ``code`` alone (None if there is no such
    node): enough for the node's page, and cheap for a small branch. Counts outside the branch
    are partial: the nodes above it count only the branch's items."""
    return cached(("branch", name, code), lambda: _build(name, code))


def _build(name: str, code: str | None = None) -> Tree | None:
    model = TREES[name]
    rows = list(model.objects.order_by("lineage").values_list("code", "name", "path", "lineage", "parent_id"))
    above = {node: lineage.split(":") for node, _, _, lineage, _ in rows}
    if code is not None and code not in above:
        return None
    link = getattr(Item, name).through
    column = f"{model._meta.model_name}_id"
    filed = link.objects.all()
    if code is not None:
        filed = filed.filter(**{f"{column}__in": [node for node, path in above.items() if code in path]})
    # The live items among them in a query of its own: joined, SQLite (which keeps no
    # statistics unless told to) reads every live item even for a branch of a few hundred.
    live = set(
        Item.objects.live().filter(pk__in=filed.values("item_id")).values_list("pk", flat=True).iterator()
    )
    # Each item once under every node its filings fall under: SQL has no cheap way to count
    # items distinctly over a subtree.
    under: dict[int, set[str]] = defaultdict(set)
    for item_id, filed_at in filed.values_list("item_id", column).iterator(chunk_size=5000):
        if item_id in live:
            under[item_id].update(above[filed_at])
    counts = Counter(node for nodes in under.values() for node in nodes)
    nodes: dict[str, Node] = {}
    roots: list[Node] = []
    for node_code, label, path, lineage, parent_id in rows:
        node = Node(
            node_code, label, path, lineage, counts[node_code], reverse("browse_node", args=[name, node_code])
        )
        nodes[node_code] = node
        # Lineage order puts parents first; a node without items has none below it either.
        if node.count:
            parent = nodes.get(parent_id)
            (parent.children if parent else roots).append(node)
    return Tree(name=name, roots=roots, nodes=nodes)
