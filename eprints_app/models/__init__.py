from eprints_app.models.classification import Division, Subject
from eprints_app.models.creator import Creator
from eprints_app.models.document import Document
from eprints_app.models.item import Item

__all__ = ["Creator", "Division", "Document", "Item", "Subject"]
