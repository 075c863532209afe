"""Markup, script, control and direction characters in every text field and file name: shown
as text on every page, export, feed and OAI-PMH record, and on the staff pages and the admin."""

import pytest

from tests.hostile.support import PAYLOADS, hostile_item
from tests.hostile.surfaces import SURFACES, assert_inert, fetch

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_record_is_shown_as_inert_text(client, editor, payload, surface):
    title = f"Kestrel {PAYLOADS[payload]}"
    item = hostile_item(PAYLOADS[payload], title=title)
    response = fetch(client, SURFACES[surface], item, editor)
    assert_inert(response, SURFACES[surface], title)
