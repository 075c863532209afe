"""Markup, script, control and direction characters in every text field and file name: shown
as text on every page, export, feed and OAI-PMH record, and on the staff pages and the admin."""

import pytest

from tests.hostile.support import PAYLOADS, hostile_item
from tests.hostile.surfaces import failures_on_every_surface

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_record_is_shown_as_inert_text_on_every_surface(editor, payload):
    """One record per payload, every field of it hostile; each surface fetched once and checked
    whole (surfaces.SURFACES lists them, pages, exports, feeds, OAI-PMH and the admin)."""
    title = f"Kestrel {PAYLOADS[payload]}"
    item = hostile_item(PAYLOADS[payload], title=title)
    failures = failures_on_every_surface(item, editor, lambda surface: title)
    assert not failures, "\n".join(failures)
