"""Who sees what: every kind of user against every status, on every surface. Nothing leaks.

The expectations are written from EPrints' rules (eprints.md §2, §9) here, not taken from the
app's own access functions, so that a wrong rule in the app fails a test.
"""

import pytest
from django.test import Client

from eprints_app.enums import ItemStatus, Security
from eprints_app.models import Item
from eprints_app.services.search_index import reindex_item
from eprints_app.services.status import TRANSITIONS
from tests.factories import make_document, make_item
from tests.form_data import edit_data

pytestmark = pytest.mark.django_db

USERS = ["anonymous", "owner", "other_depositor", "editor", "administrator"]
STATUSES = [ItemStatus.INBOX, ItemStatus.BUFFER, ItemStatus.ARCHIVE, ItemStatus.DELETION]
STAFF = {"editor", "administrator"}


# The owner is the cast's depositor (tests/conftest.py); everyone else is themselves.
FIXTURE_OF = {"owner": "depositor"}


@pytest.fixture
def case(request, depositor):
    """(kind of user, status, client signed in as that user, the item deposited by the owner)."""
    kind, status = request.param
    item = make_item(status=status, depositor=depositor, title="Matrix item", contact_email="c@example.org")
    if status == ItemStatus.DELETION:
        Item.objects.filter(pk=item.pk).update(date_deposited=item.status_changed or item.last_modified)
    client = Client()
    user = request.getfixturevalue(FIXTURE_OF.get(kind, kind))
    if user.is_authenticated:
        client.force_login(user)
    return kind, status, client, Item.objects.get(pk=item.pk)


ALL_CASES = [(kind, status) for kind in USERS for status in STATUSES]
pytest_params = pytest.mark.parametrize("case", ALL_CASES, indirect=True, ids=lambda c: f"{c[0]}-{c[1]}")


def may_manage(kind: str) -> bool:
    return kind == "owner" or kind in STAFF


def may_edit(kind: str, status: str) -> bool:
    return kind in STAFF or (kind == "owner" and status == ItemStatus.INBOX)


def public_answer(status: str) -> int:
    return {ItemStatus.ARCHIVE: 200, ItemStatus.DELETION: 410}.get(status, 404)


def sent_to_sign_in(response, login: str = "/accounts/login/") -> bool:
    return response.status_code == 302 and response["Location"].startswith(login)


@pytest_params
def test_item_page(case):
    kind, status, client, item = case
    assert client.get(item.get_absolute_url()).status_code == public_answer(status)


@pytest_params
def test_public_export(case):
    kind, status, client, item = case
    url = f"/cgi/export/eprint/{item.pk}/BibTeX/demo-eprint-{item.pk}.bib"
    assert client.get(url).status_code == public_answer(status)


@pytest_params
def test_staff_only_export(case):
    kind, status, client, item = case
    response = client.get(f"/cgi/export/eprint/{item.pk}/XML/demo-eprint-{item.pk}.xml")
    assert response.status_code == (public_answer(status) if kind in STAFF else 403)


@pytest_params
@pytest.mark.parametrize("security", ["public", "validuser", "staffonly", "embargoed"])
def test_download(case, security):
    kind, status, client, item = case
    embargo = {"date_embargo": "2999-01-01"} if security == "embargoed" else {}
    level = Security.PUBLIC if security == "embargoed" else security
    document = make_document(item, security=level, **embargo)
    if status != ItemStatus.ARCHIVE or security in {"staffonly", "embargoed"}:
        allowed = may_manage(kind)
    elif security == "validuser":
        allowed = kind != "anonymous"
    else:
        allowed = True
    response = client.get(document.get_absolute_url())
    if allowed:
        assert response.status_code == 200
    elif kind == "anonymous":
        assert sent_to_sign_in(response)
    else:
        assert response.status_code == 403


@pytest_params
def test_actions_view(case):
    kind, status, client, item = case
    response = client.get(f"/id/eprint/{item.pk}/actions/")
    if kind == "anonymous":
        assert sent_to_sign_in(response)
    else:
        assert response.status_code == (200 if may_manage(kind) else 403)
        if may_manage(kind):
            assert ("Edit item" in response.content.decode()) == may_edit(kind, status)


@pytest_params
def test_admin_change_page(case):
    kind, status, client, item = case
    response = client.get(f"/admin/eprints_app/item/{item.pk}/change/")
    if kind == "anonymous":
        assert sent_to_sign_in(response, "/admin/login/")
    elif kind == "other_depositor":
        assert response.status_code == 302 and "Matrix item" not in response.content.decode()
    else:
        assert response.status_code == 200
        editable = 'name="title"' in response.content.decode()
        assert editable == may_edit(kind, status)


@pytest_params
def test_edit_post(case):
    kind, status, client, item = case
    url = f"/id/eprint/{item.pk}/actions/"
    if may_edit(kind, status):
        data = edit_data(client.get(url))
    else:
        data = {"title": "Tampered", "revision": str(item.rev_number)}
    response = client.post(url, {**data, "title": "Tampered"})
    title = Item.objects.get(pk=item.pk).title
    if may_edit(kind, status):
        assert response.status_code == 302 and title == "Tampered"
    else:
        assert response.status_code in {302, 403} and title == "Matrix item"
        if kind == "anonymous":
            assert response["Location"].startswith("/accounts/login/")


@pytest_params
def test_status_change_post(case):
    kind, status, client, item = case
    for transition in TRANSITIONS[status]:
        allowed = kind in STAFF or (kind == "owner" and not transition.editor_only)
        response = client.post(f"/id/eprint/{item.pk}/actions/move/{transition.target}/")
        stored = Item.objects.get(pk=item.pk).status
        if allowed:
            assert response.status_code == 302 and stored == transition.target
            return
        assert stored == status
        assert response.status_code == (302 if kind == "anonymous" else 403)


@pytest_params
def test_oai_get_record(case):
    kind, status, client, item = case
    body = client.get(
        f"/cgi/oai2?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:demo:{item.pk}"
    ).content.decode()
    if status == ItemStatus.ARCHIVE:
        assert "<oai_dc:dc" in body and 'status="deleted"' not in body
    elif status == ItemStatus.DELETION:
        assert 'status="deleted"' in body and "<oai_dc:dc" not in body
    else:
        assert 'code="idDoesNotExist"' in body


@pytest_params
def test_sitemap_and_feeds(case):
    kind, status, client, item = case
    shown = status == ItemStatus.ARCHIVE
    assert (f"/id/eprint/{item.pk}/" in client.get("/sitemap-items.xml").content.decode()) == shown
    for feed in ("/feeds/latest.atom", "/feeds/latest.rss", "/cgi/latest"):
        assert ("Matrix item" in client.get(feed).content.decode()) == shown


@pytest_params
def test_search(case):
    kind, status, client, item = case
    reindex_item(item.pk)
    found = "Matrix item" in client.get("/cgi/search/simple?q=matrix").content.decode()
    assert found == (status == ItemStatus.ARCHIVE)
