"""Render the thumbnails of every document again (or of those without them: --missing-only).

Safe to re-run: a document's new thumbnails replace its old ones, which are deleted.
"""

from eprints_app.management.derivatives import DerivativeCommand
from eprints_app.services.derivatives import build_thumbnails


class Command(DerivativeCommand):
    help = "Render the thumbnails of documents."
    label = "Thumbnails"
    status_field = "thumbnail_status"
    build = staticmethod(build_thumbnails)
