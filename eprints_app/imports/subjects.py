"""EPrints' subjects file (``bin/import_subjects``): ``code:name:parents:depositable`` a line.

Parents are comma-separated codes; a node whose parent is ``ROOT`` is the root of a tree
(EPrints' ``subjects`` and ``divisions``). Here the root itself is not a heading: its children
are the top of our tree, as EPrints shows it. One file may hold several trees; the one asked
for is loaded. Our trees have one parent a node: a second parent is reported and not kept,
and ``depositable`` is not kept (every heading can be chosen). Lines starting with ``#`` and
blank lines are skipped. The whole file is read and checked before anything is written, then
written in one transaction: a re-run brings names and parents up to date and duplicates nothing.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from eprints_app.models.classification import TreeNode

ROOT = "ROOT"


class SubjectsFileError(Exception):
    """The file cannot be loaded; nothing was written."""


@dataclass
class Heading:
    code: str
    name: str
    parents: list[str]
    line: int


@dataclass
class SubjectsReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)


def read_headings(path: Path) -> dict[str, Heading]:
    """Every heading of the file by code; raises SubjectsFileError with the line of a bad one."""
    headings: dict[str, Heading] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SubjectsFileError(f"Cannot read {path}: {error}.") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split(":")
        if len(parts) < 4:
            raise SubjectsFileError(
                f"{path} line {number}: expected code:name:parents:depositable, got {line!r}."
            )
        # A name may hold colons: the code is the first part, parents and depositable the last two.
        code, name, parents = parts[0].strip(), ":".join(parts[1:-2]).strip(), parts[-2]
        if not code or "/" in code or len(code) > 64 or code == ROOT:
            raise SubjectsFileError(
                f"{path} line {number}: the code {code!r} cannot be used "
                "(it must be 1 to 64 characters, without '/' or ':', and not ROOT)."
            )
        if not name or len(name) > 255:
            raise SubjectsFileError(f"{path} line {number}: {code} needs a name of 1 to 255 characters.")
        if code in headings:
            raise SubjectsFileError(
                f"{path} line {number}: {code} is given twice (first at line {headings[code].line})."
            )
        parent_codes = [p.strip() for p in parents.split(",") if p.strip()]
        if not parent_codes:
            raise SubjectsFileError(f"{path} line {number}: {code} has no parent (ROOT for a tree's root).")
        headings[code] = Heading(code, name, parent_codes, number)
    return headings


def tree_of(headings: dict[str, Heading], root: str, path: Path, report: SubjectsReport) -> list[Heading]:
    """The headings under ``root``, parents before children, each kept under its first parent."""
    if root not in headings or ROOT not in headings[root].parents:
        roots = ", ".join(sorted(code for code, heading in headings.items() if ROOT in heading.parents))
        raise SubjectsFileError(f"{path} has no tree {root!r} under ROOT; its trees: {roots or 'none'}.")
    for heading in headings.values():
        unknown = [p for p in heading.parents if p != ROOT and p not in headings]
        if unknown:
            raise SubjectsFileError(
                f"{path} line {heading.line}: the parent {unknown[0]!r} of {heading.code} is not in the file."
            )
    chosen = []
    for heading in headings.values():
        chain = ancestry(heading, headings, path)
        if heading.code != root and chain[-1] == root:
            chosen.append((len(chain), heading))
            if len(heading.parents) > 1:
                report.warnings.append(
                    f"line {heading.line}: {heading.code} is kept under {heading.parents[0]} only, "
                    f"not also under {', '.join(heading.parents[1:])}."
                )
    return [heading for _, heading in sorted(chosen, key=lambda pair: pair[0])]


def ancestry(heading: Heading, headings: dict[str, Heading], path: Path) -> list[str]:
    """The codes from ``heading`` up to the root of its tree, by first parents."""
    chain = [heading.code]
    while ROOT not in headings[chain[-1]].parents:
        parent = headings[chain[-1]].parents[0]
        if parent in chain:
            raise SubjectsFileError(f"{path} line {heading.line}: {heading.code} is under itself.")
        chain.append(parent)
    return chain


def import_headings(model: type[TreeNode], path: Path, root: str) -> SubjectsReport:
    """Load the tree under ``root`` from the subjects file at ``path`` into ``model``."""
    report = SubjectsReport()
    headings = tree_of(read_headings(path), root, path, report)
    with transaction.atomic():
        existing = model.objects.in_bulk([h.code for h in headings])
        for heading in headings:
            parent = None if heading.parents[0] == root else heading.parents[0]
            node = existing.get(heading.code)
            if node is None:
                model.objects.create(code=heading.code, name=heading.name, parent_id=parent)
                report.created += 1
            elif (node.name, node.parent_id) != (heading.name, parent):
                node.name, node.parent_id = heading.name, parent
                node.save()
                report.updated += 1
            else:
                report.unchanged += 1
    return report
