"""End to end in a real Chromium: the seed page, a deposit through the admin, its download and status."""

import hashlib
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from eprints_app.enums import ItemStatus
from eprints_app.models import Item
from tests.factories import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED_CITATION = (
    "Ahmar, Moonis (2021) Changing dynamics of Pakistan-US relations and the challenge of soft power. "
    "LSE IDEAS Reports. LSE Ideas, London, UK."
)
USERNAME = "e2e-admin"
PASSWORD = "e2e-Passw0rd-for-the-browser"
TITLE = "Repositories in the browser: an end-to-end deposit"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def click_download(page, link) -> bytes:
    """The bytes a user gets by clicking a download link.

    Chromium either saves the file (a download event) or, for a PDF served inline, opens it in
    its PDF viewer; the viewer hides the bytes, so then the clicked URL is fetched again with the
    page's own session, after checking that the click itself was answered with that PDF.
    """
    url = urljoin(page.url, link.get_attribute("href"))
    downloads = []

    def on_download(download) -> None:
        downloads.append(download)

    page.on("download", on_download)
    try:
        with page.expect_response(url) as response_info:
            link.click()
        response = response_info.value
        assert response.status == 200, f"{url}: {response.status}"
        if page.url != url and not downloads:
            page.wait_for_event("download")
    finally:
        page.remove_listener("download", on_download)
    if downloads:
        download = downloads[0]
        assert download.failure() is None, download.failure()
        return Path(download.path()).read_bytes()
    # Opened inline in the PDF viewer.
    assert response.headers["content-type"] == "application/pdf"
    refetched = page.request.get(url)
    assert refetched.ok, f"{url}: {refetched.status}"
    assert refetched.headers["content-length"] == response.headers["content-length"]
    return refetched.body()


def test_deposit_through_the_admin_then_download_and_view(browser, live_server, seed, tmp_path):
    get_user_model().objects.create_superuser(USERNAME, "e2e-admin@example.org", PASSWORD)
    pdf = pdf_bytes(TITLE)
    upload = tmp_path / "e2e-deposit.pdf"
    upload.write_bytes(pdf)

    context = browser.new_context(accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        # The seed record's public page.
        page.goto(f"{live_server.url}/id/eprint/114516/")
        expect(page.locator("p.citation")).to_have_text(SEED_CITATION)
        expect(page.get_by_text(SEED_CITATION, exact=True)).to_be_visible()

        # Log into the admin.
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", USERNAME)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        expect(page).not_to_have_url(re.compile(r"/admin/login/"))

        # Deposit a report with one creator and one PDF, asking for it to go live.
        page.goto(f"{live_server.url}/admin/eprints_app/item/add/")
        page.select_option("#id_type", value="monograph")
        page.select_option("#id_monograph_type", value="technical_report")
        page.fill("#id_title", TITLE)
        page.fill("#id_date", "2025")
        page.fill("#id_publisher", "Browser Test Press")
        page.fill("#id_creators-0-family", "Tester")
        page.fill("#id_creators-0-given", "Eve")
        page.set_input_files("#id_documents-0-file", str(upload))
        page.select_option("#id_status", value="archive")
        page.click("input[name=_save]")

        success = page.locator(".messagelist .success")
        expect(success).to_contain_text("was added successfully")
        expect(page.locator(".messagelist .error")).to_have_count(0)
        change_url = success.get_by_role("link", name=TITLE).get_attribute("href")
        item_id = int(re.search(r"/item/(\d+)/change/", change_url).group(1))
        item = Item.objects.get(pk=item_id)
        assert item.title == TITLE
        assert item.status == ItemStatus.ARCHIVE

        # Its public page, and the download of the very bytes uploaded.
        item_url = f"{live_server.url}/id/eprint/{item_id}/"
        page.goto(item_url)
        expect(page.locator("h1")).to_have_text(TITLE)
        link = page.get_by_role("link", name=re.compile(r"^Download \(\d+(B|kB|MB)\)$"))
        expect(link).to_have_count(1)
        assert sha256(click_download(page, link)) == sha256(pdf)
        if page.url != item_url:  # the PDF opened in the viewer: back to the item page
            page.go_back()
        expect(page).to_have_url(item_url)

        # The actions view ("View Item") shows it live.
        page.get_by_role("link", name="View Item", exact=True).click()
        expect(page).to_have_url(f"{live_server.url}/id/eprint/{item_id}/actions/")
        status = page.locator("table.metadata tr", has=page.locator("th", has_text="Status:")).locator("td")
        expect(status).to_have_text("Live Archive")
    finally:
        context.close()
