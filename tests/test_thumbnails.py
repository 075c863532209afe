"""Thumbnails: the images made, the view that serves them under the download rules, and pages."""

import io

import lxml.html
import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from eprints_app.enums import DerivativeStatus, ItemStatus, Security
from eprints_app.models import Document
from eprints_app.services.derivatives import build_thumbnails
from eprints_app.services.documents import replace_file
from tests.derivative_support import deposit, png_bytes
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def stored_image(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
    return image


def thumbnail_path(document, size: str = "small") -> str:
    return f"/id/eprint/{document.item_id}/{document.pos}/thumbnail/{size}.webp"


def page(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def test_a_pdf_gets_webp_thumbnails_of_its_first_page_at_both_sizes(django_capture_on_commit_callbacks):
    document = deposit(make_item(), django_capture_on_commit_callbacks)
    assert document.thumbnail_status == DerivativeStatus.DONE
    assert document.thumbnail_small.name == f"thumbnails/{document.item_id}/{document.pk}-small.webp"
    assert document.thumbnail_preview.name == f"thumbnails/{document.item_id}/{document.pk}-preview.webp"
    small, preview = (
        stored_image(document.thumbnail_small.name),
        stored_image(document.thumbnail_preview.name),
    )
    assert (small.format, small.size) == ("WEBP", (120, 170))
    assert (preview.format, preview.size) == ("WEBP", (400, 566))
    # The page is drawn: white paper with dark text on it.
    darkest, lightest = preview.convert("L").getextrema()
    assert darkest < 80 and lightest > 240


def test_an_image_is_fitted_into_the_box_and_centred_on_a_transparent_ground(
    django_capture_on_commit_callbacks,
):
    document = deposit(
        make_item(),
        django_capture_on_commit_callbacks,
        content=png_bytes(800, 400, "red"),
        filename="map.png",
    )
    preview = stored_image(document.thumbnail_preview.name).convert("RGBA")
    assert preview.size == (400, 566)
    red, green, blue, alpha = preview.getpixel((200, 283))  # the middle: the picture, 400x200
    assert red > 200 and green < 40 and blue < 40 and alpha == 255
    assert preview.getpixel((200, 20))[3] == 0  # above it: transparent


def test_a_text_file_has_no_thumbnails_and_is_marked_skipped(django_capture_on_commit_callbacks):
    document = deposit(
        make_item(), django_capture_on_commit_callbacks, content=b"a,b\n1,2\n", filename="data.csv"
    )
    assert document.thumbnail_status == DerivativeStatus.SKIPPED
    assert not document.thumbnail_small
    assert not default_storage.exists(f"thumbnails/{document.item_id}")


def test_rebuilding_keeps_one_file_per_size(django_capture_on_commit_callbacks):
    document = deposit(make_item(), django_capture_on_commit_callbacks)
    build_thumbnails(document.pk)
    build_thumbnails(document.pk)
    document.refresh_from_db()
    assert len(default_storage.listdir(f"thumbnails/{document.item_id}")[1]) == 2
    assert default_storage.exists(document.thumbnail_small.name)
    assert default_storage.exists(document.thumbnail_preview.name)


def test_rebuilding_after_the_fields_were_reset_leaves_no_orphans(django_capture_on_commit_callbacks):
    document = deposit(make_item(), django_capture_on_commit_callbacks)
    # As load_demo's loaddata does to the demo documents on every run.
    Document.objects.filter(pk=document.pk).update(
        thumbnail_small="", thumbnail_preview="", thumbnail_status=DerivativeStatus.PENDING
    )
    build_thumbnails(document.pk)
    document.refresh_from_db()
    assert sorted(default_storage.listdir(f"thumbnails/{document.item_id}")[1]) == [
        f"{document.pk}-preview.webp",
        f"{document.pk}-small.webp",
    ]
    assert document.thumbnail_small.name == f"thumbnails/{document.item_id}/{document.pk}-small.webp"


def test_a_replaced_file_gets_new_thumbnails_and_leaves_no_old_ones(django_capture_on_commit_callbacks):
    document = deposit(make_item(), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        replace_file(document, SimpleUploadedFile("map.png", png_bytes(300, 300, "blue")))
    document.refresh_from_db()
    assert document.thumbnail_status == DerivativeStatus.DONE
    assert stored_image(document.thumbnail_small.name).convert("RGB").getpixel((60, 85)) == (0, 0, 255)
    assert len(default_storage.listdir(f"thumbnails/{document.item_id}")[1]) == 2


def test_deleting_a_document_deletes_its_thumbnails(django_capture_on_commit_callbacks):
    document = deposit(make_item(), django_capture_on_commit_callbacks)
    names = [document.thumbnail_small.name, document.thumbnail_preview.name]
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert not any(default_storage.exists(name) for name in names)


def test_thumbnail_of_an_open_access_document_is_served_with_caching_headers(
    client, django_capture_on_commit_callbacks
):
    document = deposit(make_item(), django_capture_on_commit_callbacks)
    response = client.get(thumbnail_path(document, "preview"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=86400"}
    assert Image.open(io.BytesIO(response.content)).size == (400, 566)
    again = client.get(thumbnail_path(document, "preview"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_thumbnail_of_a_staff_only_document_sends_anonymous_readers_to_log_in(
    client, django_capture_on_commit_callbacks
):
    document = deposit(make_item(), django_capture_on_commit_callbacks, security=Security.STAFFONLY)
    response = client.get(thumbnail_path(document))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={thumbnail_path(document)}"


def test_thumbnail_of_a_staff_only_document_is_refused_to_another_reader(
    client, other_depositor, django_capture_on_commit_callbacks
):
    document = deposit(make_item(), django_capture_on_commit_callbacks, security=Security.STAFFONLY)
    client.force_login(other_depositor)
    assert client.get(thumbnail_path(document)).status_code == 403


def test_thumbnail_of_a_restricted_document_is_served_privately_to_its_depositor(
    client, depositor, django_capture_on_commit_callbacks
):
    item = make_item(depositor=depositor)
    document = deposit(item, django_capture_on_commit_callbacks, security=Security.STAFFONLY)
    client.force_login(depositor)
    response = client.get(thumbnail_path(document))
    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {"private", "max-age=86400"}


def test_thumbnail_of_a_document_of_an_item_under_review_is_hidden_from_the_public(
    client, django_capture_on_commit_callbacks
):
    document = deposit(make_item(status=ItemStatus.BUFFER), django_capture_on_commit_callbacks)
    assert client.get(thumbnail_path(document)).status_code == 302


def test_unknown_sizes_and_documents_without_thumbnails_are_not_found(
    client, django_capture_on_commit_callbacks
):
    document = deposit(make_item(), django_capture_on_commit_callbacks)
    assert client.get(thumbnail_path(document, "huge")).status_code == 404
    text = deposit(make_item(), django_capture_on_commit_callbacks, content=b"words", filename="a.txt")
    assert client.get(thumbnail_path(text)).status_code == 404


def test_a_thumbnail_missing_from_storage_is_not_found_and_rebuilt(
    client, django_capture_on_commit_callbacks
):
    document = deposit(make_item(), django_capture_on_commit_callbacks)
    default_storage.delete(document.thumbnail_small.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(thumbnail_path(document)).status_code == 404
    assert client.get(thumbnail_path(document)).status_code == 200


def test_item_page_shows_the_thumbnail_lazily_with_its_size_and_an_empty_alt(
    client, django_capture_on_commit_callbacks
):
    document = deposit(make_item(), django_capture_on_commit_callbacks)
    (image,) = page(client.get(f"/id/eprint/{document.item_id}/")).xpath("//div[@class='document-card']//img")
    version = document.sha256[:12]
    small, preview = (
        f"{thumbnail_path(document)}?v={version}",
        f"{thumbnail_path(document, 'preview')}?v={version}",
    )
    assert dict(image.attrib) == {
        "class": "document-thumbnail",
        "src": small,
        "srcset": f"{small} 120w, {preview} 400w",
        "sizes": "120px",
        "width": "120",
        "height": "170",
        "loading": "lazy",
        "alt": "",
    }


def test_item_page_shows_the_format_badge_for_a_restricted_document(
    client, django_capture_on_commit_callbacks
):
    document = deposit(make_item(), django_capture_on_commit_callbacks, security=Security.VALIDUSER)
    card = page(client.get(f"/id/eprint/{document.item_id}/")).xpath("//div[@class='document-card']")[0]
    assert card.xpath(".//img") == []
    assert card.xpath(".//span[@class='format-badge']")[0].text_content() == "PDF"


def test_a_document_without_thumbnails_shows_the_badge_and_showing_it_queues_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as deposit_callbacks:
        document = make_document(make_item())  # its tasks are queued, not yet run
    url = f"/id/eprint/{document.item_id}/"
    with django_capture_on_commit_callbacks() as view_callbacks:
        assert page(client.get(url)).xpath("//div[@class='document-card']/span[@class='format-badge']")
    assert view_callbacks == []
    for callback in deposit_callbacks:
        callback()
    assert page(client.get(url)).xpath("//div[@class='document-card']/img[@class='document-thumbnail']")


def test_list_rows_show_the_small_thumbnail_of_the_first_open_access_document(
    client, django_capture_on_commit_callbacks
):
    item = make_item(title="Rows with pictures")
    deposit(item, django_capture_on_commit_callbacks, security=Security.STAFFONLY)
    public = deposit(item, django_capture_on_commit_callbacks)
    (row,) = page(client.get("/")).xpath("//li[@class='citation-row']")
    (image,) = row.xpath(".//img")
    assert dict(image.attrib) == {
        "class": "row-thumbnail",
        "src": f"{thumbnail_path(public)}?v={public.sha256[:12]}",
        "width": "60",
        "height": "85",
        "loading": "lazy",
        "alt": "",
    }


def test_list_rows_of_items_without_open_access_documents_have_no_picture(
    client, django_capture_on_commit_callbacks
):
    item = make_item()
    deposit(item, django_capture_on_commit_callbacks, security=Security.STAFFONLY)
    (row,) = page(client.get("/")).xpath("//li[@class='citation-row']")
    assert row.xpath(".//img | .//span[@class='format-badge']") == []


def test_thumbnails_add_no_queries_to_a_list(client, uncached_pages, django_capture_on_commit_callbacks):
    def home_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    deposit(make_item(), django_capture_on_commit_callbacks)
    one = home_queries()
    for _ in range(2):
        deposit(make_item(), django_capture_on_commit_callbacks)
    assert len(page(client.get("/")).xpath("//li[@class='citation-row']/img")) == 3
    assert home_queries() == one
