"""Text extraction: what lands in Document.text, from real PDFs and text files, and its limits."""

import sys
import types

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from eprints_app.enums import DerivativeStatus
from eprints_app.models import Document, Item
from eprints_app.services import text_extraction
from eprints_app.services.demo_pdf import make_pdf
from eprints_app.services.documents import replace_file
from tests.derivative_support import deposit, png_bytes
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def test_text_of_a_multi_page_pdf_holds_its_title_and_every_page(django_capture_on_commit_callbacks):
    pdf = make_pdf("Soft power and the state", ["Ahmar, Moonis"], "Relations between states.", pages=4)
    document = deposit(make_item(), django_capture_on_commit_callbacks, content=pdf)
    assert document.text_status == DerivativeStatus.DONE
    assert document.text.startswith("Soft power and the state\nAhmar, Moonis\nAbstract")
    for heading in ("1. Introduction", "2. Background and literature", "3. Approach"):
        assert heading in document.text
    assert "\r" not in document.text
    assert document.derivative_error == ""


def test_text_of_a_plain_text_file_is_decoded_as_utf8(django_capture_on_commit_callbacks):
    content = "\ufeffRégion,Taux\nÎle-de-France,7.1\n".encode()
    document = deposit(make_item(), django_capture_on_commit_callbacks, content=content, filename="data.csv")
    assert document.text == "Région,Taux\nÎle-de-France,7.1"


def test_text_that_is_not_utf8_is_read_as_windows_1252(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("Café “quotes” – naïve".encode("cp1252"))
    assert text_extraction.extract_text(str(path), "text/plain") == "Café “quotes” – naïve"


def test_a_character_cut_by_the_read_limit_is_dropped_not_misread(tmp_path, monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_CHARS", 2)  # a read limit of 8 bytes
    path = tmp_path / "notes.txt"
    path.write_bytes("abcdefgé".encode())  # "é" takes bytes 8 and 9
    assert text_extraction.extract_text(str(path), "text/plain") == "ab"
    assert text_extraction.decode("abcdefgé".encode()[:8], cut=True) == "abcdefg"


def test_control_characters_are_removed_from_the_text(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"one\r\ntwo\x0cthree\x1b\tfour")
    assert text_extraction.extract_text(str(path), "text/plain") == "one\ntwothree\tfour"


def test_only_the_first_pages_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_PAGES", 2)
    path = tmp_path / "long.pdf"
    path.write_bytes(make_pdf("A long report", ["Doe, Jane"], "Short.", pages=4))
    text = text_extraction.extract_text(str(path), "application/pdf")
    assert "1. Introduction" in text
    assert "2. Background and literature" not in text


def test_text_is_cut_at_the_character_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_CHARS", 100)
    path = tmp_path / "long.pdf"
    path.write_bytes(make_pdf("A long report", ["Doe, Jane"], "Words. " * 300, pages=3))
    text = text_extraction.extract_text(str(path), "application/pdf")
    assert len(text) == 100
    assert text.startswith("A long report")


def test_an_image_has_no_text_and_is_skipped(django_capture_on_commit_callbacks):
    document = deposit(
        make_item(), django_capture_on_commit_callbacks, content=png_bytes(40, 30), filename="a.png"
    )
    assert document.text_status == DerivativeStatus.SKIPPED
    assert document.text == ""


def test_extraction_leaves_the_items_last_modified_alone(django_capture_on_commit_callbacks):
    item = make_item()
    with django_capture_on_commit_callbacks() as callbacks:
        document = make_document(item)
    saved = Item.objects.get(pk=item.pk).last_modified
    for callback in callbacks:
        callback()
    assert Document.objects.get(pk=document.pk).text_status == DerivativeStatus.DONE
    assert Item.objects.get(pk=item.pk).last_modified == saved


def test_a_replaced_file_has_its_text_extracted_again(django_capture_on_commit_callbacks):
    document = deposit(make_item(), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        replace_file(document, SimpleUploadedFile("notes.txt", b"Completely different words"))
    document.refresh_from_db()
    assert document.text == "Completely different words"
    assert document.text_status == DerivativeStatus.DONE


def test_extracted_text_is_handed_to_the_search_index_when_there_is_one(
    django_capture_on_commit_callbacks, monkeypatch
):
    reindexed = []
    index = types.ModuleType("eprints_app.services.search_index")
    index.reindex_item = reindexed.append
    monkeypatch.setitem(sys.modules, "eprints_app.services.search_index", index)
    document = deposit(make_item(), django_capture_on_commit_callbacks)
    assert reindexed == [document.item_id]


def test_a_failing_search_index_does_not_fail_the_extraction(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(item_id: int) -> None:
        raise RuntimeError("index is down")

    index = types.ModuleType("eprints_app.services.search_index")
    index.reindex_item = broken
    monkeypatch.setitem(sys.modules, "eprints_app.services.search_index", index)
    document = deposit(make_item(), django_capture_on_commit_callbacks)
    assert document.text_status == DerivativeStatus.DONE
    assert "Could not reindex item" in caplog.text
