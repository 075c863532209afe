"""JSON: a list of EPrints-shaped records (``ep3.eprint_record``), for staff and scripts.

Staff only, as in EPrints 3.4.6 and later: it carries email addresses and the depositor.
"""

import json
from collections.abc import Sequence

from eprints_app.exports import register
from eprints_app.exports.base import ExportFormat
from eprints_app.exports.ep3 import eprint_record
from eprints_app.models import Item


@register
class JSONExport(ExportFormat):
    identifier = "JSON"
    name = "JSON"
    extension = "js"
    content_type = "application/json"
    public = False

    def render(self, items: Sequence[Item]) -> str:
        return json.dumps([eprint_record(item) for item in items], ensure_ascii=False, indent=2) + "\n"
