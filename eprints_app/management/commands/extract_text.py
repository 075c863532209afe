"""Extract the text of every document again (or of those without it: --missing-only).

Safe to re-run: each document's text is replaced, never added to.
"""

from eprints_app.management.derivatives import DerivativeCommand
from eprints_app.services.derivatives import extract_document_text


class Command(DerivativeCommand):
    help = "Extract the text of documents for search."
    label = "Text"
    status_field = "text_status"
    build = staticmethod(extract_document_text)
