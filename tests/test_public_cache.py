"""Public responses kept for anonymous readers: the same bytes as a fresh render, no queries,
fresh again after every change, and never given to someone with a session."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from eprints_app.enums import ItemStatus, Security
from eprints_app.exports import REGISTRY
from eprints_app.models import Creator, Subject
from eprints_app.services.creators import save_creator
from eprints_app.services.documents import add_document, save_document
from eprints_app.services.status import change_status
from tests.factories import make_document, make_item, pdf_bytes

pytestmark = pytest.mark.django_db


def page(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return response.content


@pytest.fixture
def item():
    item = make_item(title="Kept pages")
    make_document(item)
    return item


def test_a_kept_page_is_the_same_bytes_as_a_fresh_render_with_the_same_headers(client, item):
    url = item.get_absolute_url()
    fresh = client.get(url)
    kept = client.get(url)
    assert kept.content == fresh.content
    for header in ("Content-Type", "ETag", "Last-Modified", "Link", "Cache-Control", "Vary"):
        assert kept[header] == fresh[header]
    cache.clear()
    assert client.get(url).content == fresh.content


@pytest.mark.parametrize(
    "url",
    [
        lambda item: item.get_absolute_url(),
        lambda item: REGISTRY["BibTeX"].url(item),
        lambda item: "/view/year/2024.html",
        lambda item: "/cgi/search/simple?q=kept",
        lambda item: "/",
    ],
    ids=["item", "bibtex", "browse", "search", "home"],
)
def test_a_kept_answer_makes_no_queries(client, item, url, django_assert_num_queries):
    from eprints_app.services.search_index import reindex_item

    reindex_item(item.pk)
    address = url(item)
    first = page(client, address)
    with django_assert_num_queries(0):
        assert page(client, address) == first


def test_anonymous_answers_may_be_kept_by_shared_caches_for_a_short_time(client, item, settings):
    settings.PUBLIC_CACHE_SECONDS = "30"
    response = client.get(item.get_absolute_url())
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=0", "s-maxage=30"}
    assert "Cookie" in response["Vary"]


def test_a_kept_page_answers_a_current_copy_with_304(client, item):
    url = item.get_absolute_url()
    etag = client.get(url)["ETag"]
    client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag


def test_a_logged_in_editor_never_gets_the_anonymous_copy(client, item, editor):
    url = item.get_absolute_url()
    anonymous = page(client, url)
    client.force_login(editor)
    response = client.get(url)
    assert response.content != anonymous
    assert b"Log out" in response.content
    assert "private" in response["Cache-Control"]
    # And what the editor was shown is not kept for anyone else.
    assert page(Client(), url) == anonymous


def test_a_staff_only_export_is_never_kept_for_readers(client, item, editor):
    url = REGISTRY["JSON"].url(item)
    client.force_login(editor)
    assert client.get(url).status_code == 200
    assert Client().get(url).status_code == 403


def change_title(item):
    item.title = "A changed title"
    item.save()


def change_creator(item):
    creator = item.creators.first()
    creator.family = "Renamed"
    save_creator(creator)


def add_a_creator(item):
    save_creator(Creator(item=item, family="Added", given="Person", position=5))


def add_a_document(item):
    add_document(item, SimpleUploadedFile("appendix.pdf", pdf_bytes()))


def restrict_the_document(item):
    document = item.documents.get()
    document.security = Security.STAFFONLY
    save_document(document)


def add_a_subject(item):
    item.subjects.add(Subject.objects.create(code="QA", name="QA Mathematics"))


def rename_a_subject(item):
    subject = Subject.objects.create(code="QB", name="QB Astronomy")
    item.subjects.add(subject)
    cache_page_again(item)
    subject.name = "QB Astronomy and space"
    subject.save()


def move_to_review(item):
    change_status(item, ItemStatus.BUFFER)


def retire(item):
    change_status(item, ItemStatus.DELETION)


def cache_page_again(item):
    Client().get(item.get_absolute_url())


@pytest.mark.parametrize(
    "change",
    [
        change_title,
        change_creator,
        add_a_creator,
        add_a_document,
        restrict_the_document,
        add_a_subject,
        rename_a_subject,
        move_to_review,
        retire,
    ],
)
def test_every_change_makes_the_next_page_fresh(client, item, change, django_capture_on_commit_callbacks):
    url = item.get_absolute_url()
    before = client.get(url)
    assert client.get(url).content == before.content  # kept
    with django_capture_on_commit_callbacks(execute=True):
        change(item)
    after = client.get(url)
    assert (after.status_code, after.content) != (before.status_code, before.content)
    cache.clear()
    fresh = client.get(url)
    assert (after.status_code, after.content) == (fresh.status_code, fresh.content)


def test_the_end_of_an_embargo_opens_the_kept_page_the_next_day(client, monkeypatch):
    from django.utils import timezone

    today = timezone.localdate()
    item = make_item()
    make_document(item, date_embargo=today + datetime.timedelta(days=1))
    url = item.get_absolute_url()
    assert b"Restricted to Repository staff only until" in page(client, url)
    assert b"Restricted to Repository staff only until" in page(client, url)  # kept
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(days=1))
    assert b"Restricted to" not in page(client, url)
