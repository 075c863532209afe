"""Files in an S3 bucket whose endpoint stops and comes back (moto's S3 server on localhost).

While it is stopped, pages still render, downloads and thumbnails answer 503 with Retry-After,
and a deposit is refused with the reason and leaves nothing behind; once it is back, everything
works again, with no restart of the site. moto keeps its buckets in this process, so a bucket
outlives its server's restart as a real service's does.
"""

import os
import runpy
import time
from pathlib import Path
from unittest import mock

import boto3
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from eprints_app.enums import ItemStatus
from eprints_app.models import Document, Item
from tests.derivative_support import deposit
from tests.factories import make_item, pdf_bytes
from tests.form_data import ADD_URL, deposit_data, edit_adding_a_file, edit_data
from tests.outage_support import SilentPort
from tests.s3_support import CREDENTIALS, use_bucket

pytestmark = pytest.mark.django_db

BUCKET = "repository-outage-test"
ROOT = Path(__file__).resolve().parent.parent
REFUSED = "The file {} could not be stored, so nothing was saved. Please try again in a few minutes."


class Endpoint:
    """moto's S3 server, stopped and started again on the same port."""

    def __init__(self) -> None:
        self.port = 0
        self.server: ThreadedMotoServer | None = None

    def start(self) -> None:
        if self.server is None:
            self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
            self.server.start()
            self.port = self.server.get_host_and_port()[1]

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def keys(self) -> list[str]:
        client = boto3.client("s3", endpoint_url=self.url, region_name="us-east-1", **CREDENTIALS)
        return sorted(entry["Key"] for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.fixture
def endpoint(settings):
    endpoint = Endpoint()
    endpoint.start()
    use_bucket(settings, endpoint.url, BUCKET)
    yield endpoint
    endpoint.start()  # the bucket is emptied for the next test, whether this one stopped it
    bucket = boto3.resource("s3", endpoint_url=endpoint.url, region_name="us-east-1", **CREDENTIALS)
    bucket.Bucket(BUCKET).objects.all().delete()
    endpoint.stop()


@pytest.fixture
def stored(endpoint, django_capture_on_commit_callbacks) -> Document:
    """A public PDF of a live item in the bucket, with its thumbnails."""
    return deposit(make_item(title="Kept in a bucket"), django_capture_on_commit_callbacks)


def thumbnail_url(document: Document) -> str:
    return f"/id/eprint/{document.item_id}/{document.pos}/thumbnail/small.webp"


def assert_unavailable(response, refused: str) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "The repository&#x27;s file store cannot be reached just now." in body
    assert refused in body
    assert "Traceback" not in body


def test_deposit_download_and_thumbnail_go_through_the_bucket(client, endpoint, stored):
    assert endpoint.keys() == sorted(
        [stored.file.name, stored.thumbnail_small.name, stored.thumbnail_preview.name]
    )
    download = client.get(stored.get_absolute_url())
    assert download.status_code == 302
    assert requests.get(download["Location"], timeout=10).content == pdf_bytes()
    thumbnail = client.get(thumbnail_url(stored))
    assert (thumbnail.status_code, thumbnail["Content-Type"]) == (200, "image/webp")


def test_while_the_endpoint_is_stopped_pages_render_and_files_answer_503(client, endpoint, stored):
    endpoint.stop()

    page = client.get(stored.item.get_absolute_url())
    assert page.status_code == 200
    assert "Kept in a bucket" in page.content.decode()
    assert_unavailable(client.get(stored.get_absolute_url()), "Downloads will be back as soon as it is.")
    assert_unavailable(client.get(thumbnail_url(stored)), "Thumbnails will be back as soon as it is.")


def test_download_of_an_object_gone_from_the_bucket_is_not_found(client, endpoint, stored):
    stored.file.storage.delete(stored.file.name)
    assert client.get(stored.get_absolute_url()).status_code == 404


def test_deposit_in_the_actions_view_while_the_endpoint_is_stopped_is_refused_and_saves_nothing(
    client, endpoint, depositor
):
    item, url, data = edit_adding_a_file(
        client, depositor, "outage.pdf", before="Before the outage", after="Written during the outage"
    )
    endpoint.stop()

    response = client.post(url, data)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.context["item_form"].non_field_errors() == [REFUSED.format("outage.pdf")]
    assert Item.objects.get(pk=item.pk).title == "Before the outage"
    assert Document.objects.count() == 0
    endpoint.start()
    assert endpoint.keys() == []


def test_deposit_in_the_admin_while_the_endpoint_is_stopped_is_refused_and_saves_nothing(
    client, endpoint, editor
):
    client.force_login(editor)
    data = deposit_data(client, SimpleUploadedFile("outage.pdf", pdf_bytes()))
    endpoint.stop()

    response = client.post(ADD_URL, data, follow=True)

    assert response.redirect_chain == [(ADD_URL, 302)]
    assert [str(message) for message in response.context["messages"]] == [REFUSED.format("outage.pdf")]
    assert (Item.objects.count(), Document.objects.count()) == (0, 0)
    endpoint.start()
    assert endpoint.keys() == []


def test_once_the_endpoint_is_back_everything_works_again(
    client, endpoint, stored, depositor, django_capture_on_commit_callbacks
):
    endpoint.stop()
    assert client.get(stored.get_absolute_url()).status_code == 503
    endpoint.start()

    download = client.get(stored.get_absolute_url())
    assert download.status_code == 302
    assert requests.get(download["Location"], timeout=10).content == pdf_bytes()
    assert client.get(thumbnail_url(stored)).status_code == 200

    item = make_item(status=ItemStatus.INBOX, depositor=depositor)
    client.force_login(depositor)
    url = f"/id/eprint/{item.pk}/actions/"
    data = edit_data(client.get(url))
    data["documents-0-file"] = SimpleUploadedFile("after.pdf", pdf_bytes("After the outage"))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    document = item.documents.get()
    assert document.file.storage.exists(document.file.name)
    assert document.file.read() == pdf_bytes("After the outage")


# An endpoint that hangs rather than refusing: the site gives up in seconds (botocore alone would
# wait 60 s for each connection and each read, and retry), with the timeouts of the settings.


def storage_settings(**environment: str) -> dict:
    """The default storage that repository/settings.py makes of these AWS_* variables."""
    kept = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    with mock.patch.dict(os.environ, {**kept, "AWS_STORAGE_BUCKET_NAME": BUCKET, **environment}, clear=True):
        return runpy.run_path(str(ROOT / "repository" / "settings.py"))["STORAGES"]["default"]


def test_bucket_timeouts_default_to_seconds_and_are_read_from_the_environment():
    defaults = storage_settings()["OPTIONS"]["client_config"]
    assert (defaults.connect_timeout, defaults.read_timeout) == (2, 10)
    assert defaults.retries == {"total_max_attempts": 2, "mode": "standard"}

    given = storage_settings(AWS_S3_CONNECT_TIMEOUT="5", AWS_S3_READ_TIMEOUT="30", AWS_S3_MAX_ATTEMPTS="4")
    config = given["OPTIONS"]["client_config"]
    assert (config.connect_timeout, config.read_timeout, config.retries["total_max_attempts"]) == (5, 30, 4)


@pytest.mark.parametrize(
    ("connecting", "timeout"),
    [(True, "AWS_S3_READ_TIMEOUT"), (False, "AWS_S3_CONNECT_TIMEOUT")],
    ids=["requests-never-answered", "connections-never-established"],
)
def test_download_from_an_endpoint_that_hangs_answers_503_within_its_timeouts(
    client, settings, stored, connecting, timeout
):
    silent = SilentPort(connecting=connecting)
    storage = storage_settings(
        **{timeout: "1"},
        AWS_S3_MAX_ATTEMPTS="2",
        AWS_S3_ENDPOINT_URL=silent.url,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
    )
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    try:
        started = time.monotonic()
        response = client.get(stored.get_absolute_url())
        waited = time.monotonic() - started
    finally:
        silent.close()

    assert_unavailable(response, "Downloads will be back as soon as it is.")
    # Two attempts of one second each, and the standard retry mode's pause (at most a second).
    assert 2 <= waited < 5


def test_deposit_to_an_endpoint_that_hangs_is_refused_within_its_timeouts_and_saves_nothing(
    client, settings, endpoint, depositor
):
    item, url, data = edit_adding_a_file(
        client, depositor, "hung.pdf", before="Before the hang", after="Written during the hang"
    )
    silent = SilentPort()
    storage = storage_settings(
        AWS_S3_READ_TIMEOUT="1",
        AWS_S3_MAX_ATTEMPTS="2",
        AWS_S3_ENDPOINT_URL=silent.url,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
    )
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    try:
        started = time.monotonic()
        response = client.post(url, data)
        waited = time.monotonic() - started
    finally:
        silent.close()

    assert response.status_code == 503
    assert response.context["item_form"].non_field_errors() == [REFUSED.format("hung.pdf")]
    assert waited < 5
    assert Item.objects.get(pk=item.pk).title == "Before the hang"
    assert Document.objects.count() == 0
    assert endpoint.keys() == []
