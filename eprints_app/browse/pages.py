"""The browse pages worth a crawler's visit, for the sitemap."""

from django.urls import reverse

from eprints_app.browse.indexes import item_types, years
from eprints_app.browse.trees import TREES, tree


def browse_pages() -> list[str]:
    """The menu, each index, and each year, subject, division and item type with live items.

    Authors' pages are left to the indexes' links: there are as many as there are people.
    """
    indexes = [
        reverse("browse"),
        reverse("browse_years"),
        reverse("browse_types"),
        reverse("browse_creators"),
    ]
    indexes += [reverse("browse_tree", args=[name]) for name in TREES]
    nodes = [node.url for name in TREES for node in tree(name).nodes.values() if node.count]
    return indexes + [entry.url for entry in years()] + nodes + [entry.url for entry in item_types()]
