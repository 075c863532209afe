"""Export URLs: /cgi/export/eprint/<id>/<Format>/<repoid>-eprint-<id>.<ext> (eprints.md §4, §5)."""

import pytest

from eprints_app.enums import ItemStatus
from eprints_app.exports import REGISTRY
from tests.factories import make_item

pytestmark = pytest.mark.django_db


SEED_BIBTEX = "/cgi/export/eprint/114516/BibTeX/demo-eprint-114516.bib"


def test_seed_bibtex_export_answers_with_the_bibtex_content_type(client, seed):
    response = client.get(SEED_BIBTEX)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="demo-eprint-114516.bib"'
    assert response.content.decode().startswith("@techreport{ahmar2021changing,\n")


def test_short_export_url_answers_the_same(client, seed):
    response = client.get("/cgi/export/114516/BibTeX/x.bib")
    assert response.status_code == 200
    assert response.content == client.get(SEED_BIBTEX).content


def test_format_url_is_what_the_export_menu_links_to(seed):
    assert REGISTRY["RIS"].url(seed) == "/cgi/export/eprint/114516/RIS/demo-eprint-114516.ris"


@pytest.mark.parametrize("identifier", sorted(f for f, fmt in REGISTRY.items() if fmt.public))
def test_every_public_format_answers_anonymous_readers(client, seed, identifier):
    fmt = REGISTRY[identifier]
    response = client.get(fmt.url(seed))
    assert response.status_code == 200
    assert response["Content-Type"] == fmt.content_type


def test_unknown_format_is_not_found(client, seed):
    assert client.get("/cgi/export/eprint/114516/Nonsense/demo-eprint-114516.x").status_code == 404


@pytest.mark.parametrize("identifier", ["XML", "JSON", "CSV"])
def test_staff_only_format_is_refused_to_anonymous(client, seed, identifier):
    assert client.get(REGISTRY[identifier].url(seed)).status_code == 403


@pytest.mark.parametrize("identifier", ["XML", "JSON", "CSV"])
def test_staff_only_format_is_refused_to_a_depositor(client, seed, depositor, identifier):
    client.force_login(depositor)
    assert client.get(REGISTRY[identifier].url(seed)).status_code == 403


@pytest.mark.parametrize("identifier", ["XML", "JSON", "CSV"])
def test_staff_only_format_is_served_to_an_editor(client, seed, editor, identifier):
    client.force_login(editor)
    response = client.get(REGISTRY[identifier].url(seed))
    assert response.status_code == 200
    assert response["Content-Type"] == REGISTRY[identifier].content_type


def test_export_of_a_retired_item_is_gone(client):
    item = make_item(status=ItemStatus.DELETION)
    assert client.get(f"/cgi/export/eprint/{item.pk}/BibTeX/x.bib").status_code == 410


@pytest.mark.parametrize("status", [ItemStatus.INBOX, ItemStatus.BUFFER])
def test_export_of_an_item_that_is_not_live_is_not_found(client, status):
    item = make_item(status=status)
    assert client.get(f"/cgi/export/eprint/{item.pk}/BibTeX/x.bib").status_code == 404


def test_export_of_a_missing_item_is_not_found(client, db):
    assert client.get("/cgi/export/eprint/999999/BibTeX/x.bib").status_code == 404
