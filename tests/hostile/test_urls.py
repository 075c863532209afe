"""Path traversal, encoded slashes, NUL bytes and odd numbers in addresses and their query
strings: a 4xx or a redirect to the proper address, never a 500 and never another file."""

import pytest

from eprints_app.enums import ItemStatus
from tests.factories import make_document, make_item
from tests.hostile.support import assert_inert_html, body

pytestmark = pytest.mark.django_db

NOT_FOUND = {404}
REDIRECT_OR_NOT_FOUND = {301, 302, 404}
# What must never come back, whatever the address: the settings, a system file, source code.
SECRETS = (b"SECRET_KEY", b"root:x:0:0", b"DJANGO_SETTINGS_MODULE", b"import ")

DOCUMENT_PATHS = [
    "/id/eprint/{pk}/1/../../../../etc/passwd",
    "/id/eprint/{pk}/1/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/id/eprint/{pk}/1/..%2f..%2frepository%2fsettings.py",
    "/id/eprint/{pk}/1/%2e%2e%2f%2e%2e%2fsettings.py",
    "/id/eprint/{pk}/1/%252e%252e%252fsettings.py",
    "/id/eprint/{pk}/1/..%5C..%5Csettings.py",
    "/id/eprint/{pk}/1/%C0%AE%C0%AE%C0%AFsettings.py",
    "/id/eprint/{pk}/1/%2e%2e",
    "/id/eprint/{pk}/1/.",
    "/id/eprint/{pk}/1/paper.pdf%00",
    "/id/eprint/{pk}/1/paper.pdf%00.txt",
    "/id/eprint/{pk}/1/paper.pdf/",
    "/id/eprint/{pk}/1/paper.pdf%2F",
    "/id/eprint/{pk}/1/paper.pdf;.txt",
    "/id/eprint/{pk}/1/%FF%FE",
    "/id/eprint/{pk}/1/" + "a" * 10_000,
    "/id/eprint/{pk}/01/paper.pdf",
    "/id/eprint/{pk}/0/paper.pdf",
    "/id/eprint/{pk}/-1/paper.pdf",
    "/id/eprint/{pk}/99999/paper.pdf",
    "/id/eprint/{pk}/123456/paper.pdf",
    "/id/eprint/{pk}/1%2F..%2F2/paper.pdf",
    "/id/eprint/%2e%2e/1/paper.pdf",
    "/id/eprint/999999999999999999/1/paper.pdf",
    "/{pk}/1/..%2F..%2Fsettings.py",
    "/{pk}/1/%00",
    "/{pk}/99999/paper.pdf",
    "/id/eprint/{pk}/1/thumbnail/..%2F..%2Fsmall.webp",
    "/id/eprint/{pk}/1/thumbnail/%2e%2e.webp",
    "/id/eprint/{pk}/1/thumbnail/..%2Fpreview.webp",
    "/id/eprint/{pk}/1/thumbnail/small.webp%00",
    "/id/eprint/{pk}/1/thumbnail/small.webp%2F",
    "/id/eprint/{pk}/1/thumbnail/SMALL.webp",
    "/id/eprint/{pk}/1/thumbnail/large.webp",
    "/id/eprint/{pk}/1/thumbnail/small.png",
    "/id/eprint/{pk}/1/thumbnail/small.webp.pdf",
    "/id/eprint/{pk}/99999/thumbnail/small.webp",
    "/id/eprint/{pk}/1/thumbnail/%00.webp",
    "/media/documents/{pk}/",
    "/media/../repository/settings.py",
    "/media/..%2F..%2Frepository%2Fsettings.py",
    "/static/../repository/settings.py",
    "/static/..%2F..%2Frepository%2Fsettings.py",
    "/static/eprints_app/..%2F..%2F..%2Fmanage.py",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/cgi/export/eprint/{pk}/..%2F..%2Fsettings/x.bib",
    "/cgi/export/eprint/{pk}/BibTeX/..%2F..%2Fetc%2Fpasswd",
    "/cgi/export/eprint/{pk}/%3Cscript%3Ealert(1)%3C%2Fscript%3E/x.bib",
    "/cgi/export/eprint/{pk}/BibTeX%00/x.bib",
    "/cgi/export/eprint/{pk}/XML/x.xml",
    "/id/eprint/{pk}/actions/move/..%2F..%2Fadmin/",
    "/id/eprint/{pk}/linkset%00",
    "/request-copy/..%2F..%2Fadmin/",
    "/request-copy/%00/",
    "/request-copy/%00/download/",
    "/sitemap-..%2Fsettings.xml",
    "/sitemap-%00.xml",
]


@pytest.fixture
def document():
    return make_document(make_item())


def test_the_proper_addresses_are_served(client, document):
    assert body(client.get(f"/id/eprint/{document.item_id}/1/paper.pdf")).startswith(b"%PDF")
    assert client.get(f"/{document.item_id}/1/paper.pdf").status_code == 301


@pytest.mark.parametrize("path", DOCUMENT_PATHS)
def test_a_traversing_or_malformed_file_address_gets_a_4xx_or_the_proper_address(client, document, path):
    response = client.get(path.format(pk=document.item_id))
    assert response.status_code in {301, 302, 400, 403, 404}
    if response.status_code in {301, 302}:
        assert response["Location"].startswith((f"/id/eprint/{document.item_id}/", "/accounts/login/"))
    content = body(response)
    assert not any(secret in content for secret in SECRETS)


QUERIES = [
    "/cgi/users/home?screen=EPrint::View&eprintid=%C2%B2",
    "/cgi/users/home?screen=EPrint::View&eprintid=%D9%A3",
    "/cgi/users/home?screen=EPrint::View&eprintid=%00",
    "/cgi/users/home?screen=%00",
    "/cgi/users/home?screen=EPrint::View&eprintid=1&eprintid=2",
    "/cgi/request_doc?docid=%C2%B2",
    "/cgi/request_doc?docid=%EF%BC%91",
    "/cgi/request_doc?docid=%00",
    "/cgi/request_doc?docid=-1",
    "/cgi/request_doc?docid=99999999999999999",
    "/view/year/2024.html?page=%00",
    "/view/year/2024.html?page=%C2%B2",
    "/view/year/2024.html?page=99999999999999999999",
    "/view/year/2024.html?group=%00",
    "/view/year/2024.html?group=%3Cscript%3E",
    "/view/year/2024.html?export=%00",
    "/view/year/2024.html?export=..%2F..%2Fsettings",
    "/view/year/2024.html?export=XML",
    "/view/year/0000.html",
    "/view/year/9999.html",
    "/view/subjects/..%2F..%2Fsettings.html",
    "/view/subjects/%00.html",
    "/view/subjects/%3Cscript%3E.html",
    "/view/divisions/%00.html",
    "/view/divisions/%E2%80%AE.html",
    "/view/types/%00.html",
    "/view/types/..%2Fsettings.html",
    "/view/creators/%00.html",
    "/view/creators/%00x.html",
    "/view/creators/%3Cscript%3E.html",
    "/view/creators/%E2%80%AE%E2%80%8B.html",
    "/view/creators/0000-0000-0000-000X%00.html",
    "/view/creators/Other.html?page=%00",
    "/cgi/latest_tool?output=%00",
    "/cgi/latest_tool?output=%3Cscript%3E",
    "/cgi/latest?page=%00",
    "/feeds/latest.atom?%00=%00",
    "/sitemap-items.xml?p=%00",
    "/sitemap-items.xml?p=%C2%B2",
    "/sitemap-items.xml?p=99999999999999999999",
    "/sitemap.xml?p=-1",
    "/?%00=%00",
    "/accounts/login/?next=javascript:alert(1)",
    "/accounts/login/?next=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    "/accounts/login/?next=%00",
]


@pytest.mark.parametrize("path", QUERIES)
def test_odd_query_values_get_a_page_a_redirect_or_a_4xx(client, document, path):
    response = client.get(path)
    assert response.status_code in {200, 301, 302, 400, 403, 404}
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert_inert_html(response)


STAFF_PATHS = [
    "/id/eprint/{pk}/actions/history/99999999999999999999/",
    "/id/eprint/{pk}/actions/history/0/",
    "/id/eprint/{pk}/actions/move/%3Cscript%3E/",
    "/admin/eprints_app/item/99999999999999999999/change/",
    "/admin/eprints_app/item/%00/change/",
    "/admin/eprints_app/item/..%2F..%2F/change/",
    "/admin/eprints_app/item/%C2%B2/change/",
    "/admin/eprints_app/document/99999999999999999999/change/",
    "/admin/eprints_app/item/?q=%00",
    "/admin/eprints_app/item/?q=99999999999999999999",
    "/admin/eprints_app/item/?status__exact=%00",
    "/admin/eprints_app/item/?type__exact=a%00b",
    "/admin/eprints_app/copyrequest/?status__exact=a%00b",
    "/admin/auth/user/?username=%00",
    "/admin/eprints_app/item/add/?subjects=%00",
    "/admin/autocomplete/?app_label=eprints_app&model_name=item&field_name=depositor&term=a%00",
    "/admin/autocomplete/?app_label=eprints_app&model_name=item&field_name=succeeds&term=a%00",
    "/admin/eprints_app/item/?o=%00",
    "/admin/eprints_app/item/?o=99999",
    "/admin/eprints_app/item/?p=%00",
    "/admin/eprints_app/item/?id__gt=%00",
    "/admin/eprints_app/copyrequest/?q=%00",
    "/admin/eprints_app/subject/?q=%00",
    "/admin/autocomplete/?app_label=eprints_app&model_name=item&field_name=subjects&term=%00",
    "/admin/autocomplete/?app_label=%00&model_name=%00&field_name=%00&term=x",
    "/cgi/users/items/?status=%00",
    "/cgi/users/review/?page=%00",
]


@pytest.mark.parametrize("path", STAFF_PATHS)
def test_odd_staff_addresses_get_a_page_a_redirect_or_a_4xx(client, administrator, document, path):
    client.force_login(administrator)
    response = client.get(path.format(pk=document.item_id))
    assert response.status_code in {200, 301, 302, 400, 403, 404}
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert_inert_html(response)


@pytest.mark.parametrize("path", ["/id/eprint/{pk}/1/paper.pdf", "/id/eprint/{pk}/1/thumbnail/small.webp"])
def test_a_document_of_an_item_not_live_stays_hidden_whatever_the_spelling(client, path):
    item = make_item(status=ItemStatus.INBOX)
    make_document(item)
    for spelling in (path, path.replace("/1/", "/%31/"), path.replace("eprint", "%65print")):
        response = client.get(spelling.format(pk=item.pk))
        assert response.status_code in {302, 404}
        assert not body(response).startswith(b"%PDF")
