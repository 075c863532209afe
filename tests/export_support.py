"""What the export tests share: items handed to a format as the export views hand them."""

from eprints_app.exports import REGISTRY
from eprints_app.models import Item


def with_parts(*items: Item) -> list[Item]:
    """The items again, their creators, documents, subjects and divisions prefetched, in id order."""
    return list(Item.objects.with_parts().filter(pk__in=[i.pk for i in items]).order_by("pk"))


def rendered(identifier: str, *items: Item) -> str:
    """What the format registered as ``identifier`` makes of the items."""
    return REGISTRY[identifier].render(with_parts(*items))
