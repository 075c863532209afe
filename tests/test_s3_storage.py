"""Documents kept in an S3-compatible bucket (moto's S3 server on localhost stands in for one)."""

import pytest
import requests
from moto.server import ThreadedMotoServer

from tests.factories import make_document, make_item, pdf_bytes
from tests.s3_support import use_bucket

pytestmark = pytest.mark.django_db

BUCKET = "repository-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    use_bucket(settings, s3_endpoint, BUCKET)


def test_document_saved_to_the_bucket_downloads_through_a_signed_url(client, s3_storage):
    data = pdf_bytes("Stored in a bucket")
    document = make_document(make_item(), content=data, filename="bucket report.pdf")
    assert document.file.storage.exists(document.file.name)
    assert document.filesize == len(data)

    response = client.get(document.get_absolute_url())
    assert response.status_code == 302
    signed = response["Location"]
    assert "Signature=" in signed or "X-Amz-Signature=" in signed
    fetched = requests.get(signed, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == data
    assert fetched.headers["Content-Type"] == "application/pdf"


def test_restricted_document_in_the_bucket_is_still_refused(client, s3_storage):
    document = make_document(make_item(), security="staffonly")
    response = client.get(document.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
