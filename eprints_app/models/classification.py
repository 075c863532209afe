"""Subject and division trees, each node shown as its path from the root."""

import re

from django.core.exceptions import ValidationError
from django.db import models, transaction

PATH_SEPARATOR = " > "
# What a new code may be: it is a part of the heading's address (/view/subjects/CODE.html), of
# lineages and OAI-PMH set names (joined by ":") and of EPrints' subjects file
# (code:name:parent,parent:depositable), so none of their separators, no spaces and nothing a URL
# must escape. Rows stored with other codes (by a script, say) still work.
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# The root of every tree in EPrints' subjects file.
RESERVED_CODES = {"ROOT"}


class TreeNode(models.Model):
    """A node of a small classification tree.

    ``path`` (names joined by " > ") and ``lineage`` (codes joined by ":", as in
    hierarchical OAI-PMH setSpecs) are stored so that pages can show a node's
    place in the tree without walking up it; ``save()`` keeps them current for
    the node and everything under it, and ``rebuild_paths()`` recomputes the
    whole tree after a bulk load.
    """

    code = models.CharField(max_length=64, primary_key=True)
    name = models.CharField(max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=1024, editable=False, default="")
    lineage = models.CharField(max_length=512, editable=False, default="", db_index=True)

    class Meta:
        abstract = True
        ordering = ["lineage"]

    def __str__(self) -> str:
        return self.path or self.name

    def clean(self) -> None:
        """Refuse a new code that would break an address, a set name or the subjects file; a
        code already stored is left alone, so that such a row can still be edited."""
        super().clean()
        if not self.code or type(self).objects.filter(pk=self.code).exists():
            return
        if not CODE_PATTERN.fullmatch(self.code) or self.code in RESERVED_CODES:
            raise ValidationError(
                {
                    "code": "A code may hold only the letters A to Z and a to z, digits, '-', '_' and "
                    "'.', and starts with a letter or digit (ROOT is taken): it becomes part of "
                    "addresses such as /view/subjects/CODE.html, of OAI-PMH set names and of "
                    "EPrints' subjects file."
                }
            )

    def _compute_paths(self) -> None:
        if self.parent_id:
            parent = type(self).objects.get(pk=self.parent_id)
            self.path = f"{parent.path}{PATH_SEPARATOR}{self.name}"
            self.lineage = f"{parent.lineage}:{self.code}"
        else:
            self.path, self.lineage = self.name, self.code

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            self._compute_paths()
            super().save(*args, **kwargs)
            for child in self.children.all():
                child.save()

    @classmethod
    def rebuild_paths(cls) -> int:
        """Recompute every node's path and lineage; returns the number of nodes."""
        nodes = {node.code: node for node in cls.objects.all()}
        done: set[str] = set()

        def fill(node: TreeNode) -> None:
            if node.code in done:
                return
            parent = nodes.get(node.parent_id)
            if parent is None:
                node.path, node.lineage = node.name, node.code
            else:
                fill(parent)
                node.path = f"{parent.path}{PATH_SEPARATOR}{node.name}"
                node.lineage = f"{parent.lineage}:{node.code}"
            done.add(node.code)

        for node in nodes.values():
            fill(node)
        cls.objects.bulk_update(nodes.values(), ["path", "lineage"], batch_size=500)
        return len(nodes)


class Subject(TreeNode):
    class Meta(TreeNode.Meta):
        verbose_name = "subject"


class Division(TreeNode):
    class Meta(TreeNode.Meta):
        verbose_name = "division"
