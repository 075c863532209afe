"""Two app servers behave as one site (issue 13: app servers are stateless).

Two instances of the production command (gunicorn, DEBUG off) on two ports share one PostgreSQL
database, one S3 bucket (moto's server) and one Redis cache, with `manage.py db_worker` beside
them, all in processes of their own (tests/servers.py). The test speaks HTTP to them, as a
browser or a harvester would; it reads the database only to see the worker's progress. Their
logs are left in the test's temporary folder.

One test, so that the site is started once even when pytest-xdist spreads a module's tests over
several processes. It is skipped, saying why, only when PostgreSQL or Redis is unreachable.
"""

import hashlib
import os
import re
import secrets
import time
from types import SimpleNamespace
from urllib.parse import urlsplit

import boto3
import lxml.html
import pytest
import requests
from lxml import etree
from moto.server import ThreadedMotoServer

from tests import servers
from tests.factories import pdf_bytes
from tests.form_data import ADD_URL, deposit_data, form_values
from tests.oai_support import RESPONSE_SCHEMA, error_codes, header_identifiers, resumption_token

# The reverse proxy's address, which both servers put in the URIs they write.
BASE_URL = "http://repository.example.org"
BUCKET = f"two-servers-{os.getpid()}"
CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}  # moto takes any
USER = "ada"
PASSWORD = secrets.token_urlsafe(16)
# More live items than the 100 records of an OAI-PMH page, so that a harvest needs a token.
HARVESTED = 120
# Words found only in the deposited PDF, so a search finds them once its text is extracted.
FULL_TEXT = "Zeugmatic harbours"
TITLE = "Changing dynamics of soft power"
NEW_TITLE = "Changing dynamics of hard power"
SETUP = f"""
from django.contrib.auth import get_user_model
from django.utils import timezone
from eprints_app.models import Item
get_user_model().objects.create_superuser({USER!r}, "ada@example.org", {PASSWORD!r})
now = timezone.now()
Item.objects.bulk_create(
    Item(type="article", title=f"Study {{n}}", status="archive", date_deposited=now, last_modified=now)
    for n in range({HARVESTED})
)
"""
WAIT_SECONDS = 30


@pytest.fixture
def services():
    reason = servers.unreachable()
    if reason:
        pytest.skip(f"{reason}: the two-server test needs both")


@pytest.fixture
def database(services):
    name = f"eprints_two_servers_{os.getpid()}"
    url = servers.create_database(name)
    yield url
    servers.drop_database(name)


@pytest.fixture
def cache(services):
    """A Redis database of the test's own, emptied at the end."""
    client = servers.claim_redis_database()
    yield client
    client.flushdb()


@pytest.fixture
def bucket():
    """moto's S3 server on a free port, with a bucket; the endpoint's address."""
    server = ThreadedMotoServer(ip_address=servers.HOST, port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        s3 = boto3.resource("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
        made = s3.create_bucket(Bucket=BUCKET)
        try:
            yield endpoint
        finally:
            # moto keeps buckets in this process's memory, which outlives the server.
            made.objects.all().delete()
            made.delete()
    finally:
        server.stop()


@pytest.fixture
def site(database, cache, bucket, tmp_path):
    """Servers A and B, each with two workers, and a task worker: the deployment of the README."""
    env = servers.environment(
        tmp_path / "settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        BASE_URL=BASE_URL,
        ALLOWED_HOSTS=servers.HOST,
        DATABASE_URL=database,
        CACHE_URL=servers.redis_url(cache),
        TASKS_BACKEND="database",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=bucket,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID=CREDENTIALS["aws_access_key_id"],
        AWS_SECRET_ACCESS_KEY=CREDENTIALS["aws_secret_access_key"],
    )
    servers.manage(env, "migrate", "--no-input", "-v0")
    servers.manage(env, "collectstatic", "--no-input", "-v0")
    servers.manage(env, "shell", "-v0", "-c", SETUP)
    started: list[servers.Process] = []
    try:
        for name in ("a", "b"):
            started.append(servers.AppServer(2, env, tmp_path / f"{name}.log"))
        started.append(servers.task_worker(env, tmp_path / "worker.log"))
        for server in started[:2]:
            server.wait_ready()
        yield started[0], started[1]
    finally:
        for process in started:
            process.stop()


def signed_in(server: servers.AppServer) -> requests.Session:
    """A browser that has signed in on ``server``."""
    browser = requests.Session()
    browser.get(server("/accounts/login/")).raise_for_status()
    form = {"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"]}
    response = browser.post(server("/accounts/login/"), data=form, allow_redirects=False)
    assert response.status_code == 302, response.text[:2000]
    return browser


def cookies_of(browser: requests.Session) -> requests.Session:
    """Another browser with the same cookies: a reader whose next request the proxy sends elsewhere."""
    other = requests.Session()
    for cookie in browser.cookies:
        other.cookies.set_cookie(cookie)
    assert {cookie.name for cookie in other.cookies} == {"sessionid", "csrftoken"}
    return other


def post_form(browser: requests.Session, url: str, data: dict, **files) -> requests.Response:
    data = {**data, "csrfmiddlewaretoken": browser.cookies["csrftoken"]}
    return browser.post(url, data=data, files=files or None, allow_redirects=False)


def deposit(browser: requests.Session, server: servers.AppServer, pdf: bytes) -> int:
    """A report with a PDF, made live by the admin's add form; the new item's ID."""
    client = SimpleNamespace(get=lambda path: browser.get(server(path)))
    data = deposit_data(client, title=TITLE, **{"documents-0-content": "published", "_continue": "1"})
    upload = ("paper.pdf", pdf, "application/pdf")
    response = post_form(browser, server(ADD_URL), data, **{"documents-0-file": upload})
    assert response.status_code == 302, response.text[-3000:]
    return int(re.search(r"/item/(\d+)/change/", response.headers["Location"]).group(1))


def change_title(browser: requests.Session, server: servers.AppServer, item_id: int, title: str) -> None:
    url = server(f"/admin/eprints_app/item/{item_id}/change/")
    data = {**form_values(browser.get(url)), "title": title}
    response = post_form(browser, url, data)
    assert response.status_code == 302, response.text[-3000:]


def processed(database: str, item_id: int) -> list[tuple[str, str]]:
    """The text and thumbnail status of the item's documents, once the worker has left them."""
    statement = "SELECT text_status, thumbnail_status FROM eprints_app_document WHERE item_id = %s"
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        rows = servers.query(database, statement, (item_id,))
        if all("pending" not in row for row in rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def kept_page(cache, server: servers.AppServer, path: str) -> bool:
    """Whether an anonymous answer for this path on this server is kept in the shared cache for
    the present listing generation (eprints_app.public_cache's key, under Django's prefix)."""
    generation = int(cache.get(":1:browse:generation"))
    digest = hashlib.sha256(f"{urlsplit(server.url).netloc}{path}".encode()).hexdigest()[:40]
    return bool(cache.keys(f":1:public:{generation}:*:{digest}"))


def harvest_page(url: str, **params: str) -> etree._Element:
    response = requests.get(url, params=params)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    RESPONSE_SCHEMA.assertValid(root)
    assert error_codes(root) == []
    return root


def test_two_app_servers_behave_as_one_site(site, database, cache, bucket):
    a, b = site
    anonymous = requests.Session()

    # A login session holds across them: signed in on A, the same cookie is signed in on B.
    on_a = signed_in(a)
    on_b = cookies_of(on_a)
    assert anonymous.get(b("/admin/"), allow_redirects=False).status_code == 302
    admin_on_b = on_b.get(b("/admin/"), allow_redirects=False)
    assert admin_on_b.status_code == 200
    assert lxml.html.fromstring(admin_on_b.content).findtext('.//div[@id="user-tools"]/strong') == USER

    # A deposit through A is live on B at once, the item page and the download alike.
    pdf = pdf_bytes(FULL_TEXT)
    item_id = deposit(on_a, a, pdf)
    page_path = f"/id/eprint/{item_id}/"
    page = anonymous.get(b(page_path))
    assert page.status_code == 200
    assert TITLE in lxml.html.fromstring(page.content).findtext(".//h1")
    (pdf_url,) = lxml.html.fromstring(page.content).xpath('//meta[@name="citation_pdf_url"]/@content')
    assert pdf_url.startswith(BASE_URL)
    download = anonymous.get(b(pdf_url.removeprefix(BASE_URL)), allow_redirects=False)
    assert download.status_code == 302
    signed = download.headers["Location"]
    assert signed.startswith(f"{bucket}/{BUCKET}/") and "Signature=" in signed
    assert requests.get(signed).content == pdf

    # The task worker beside them extracts the text and makes the thumbnails of the new file.
    # What it saved moves the shared cache on as the servers' changes do: B's item page, kept
    # before, now shows the thumbnail, and A finds the item by words only its full text has.
    assert processed(database, item_id) == [("done", "done")]
    page = anonymous.get(b(page_path))
    (thumbnail_url,) = lxml.html.fromstring(page.content).xpath('//img[@class="document-thumbnail"]/@src')
    thumbnail = anonymous.get(b(thumbnail_url))
    assert thumbnail.status_code == 200
    assert thumbnail.content[:4] == b"RIFF" and thumbnail.content[8:12] == b"WEBP"
    found = anonymous.get(a("/cgi/search/simple"), params={"q": FULL_TEXT.split()[0]})
    assert lxml.html.fromstring(found.content).xpath(f'//a[@href="{page_path}"]')

    # A change through A is never answered from a stale cache by B: B's anonymous answer is
    # kept in the shared cache, and after the change B answers with the new title at once.
    assert TITLE in anonymous.get(b(page_path)).text
    assert kept_page(cache, b, page_path)
    change_title(on_a, a, item_id, NEW_TITLE)
    changed = anonymous.get(b(page_path))
    assert NEW_TITLE in changed.text
    assert TITLE not in changed.text

    # An OAI-PMH resumption token from A works on B: the harvest goes on where it stopped.
    first = harvest_page(a("/cgi/oai2"), verb="ListRecords", metadataPrefix="oai_dc")
    token = resumption_token(first)
    assert token.get("completeListSize") == str(HARVESTED + 1)
    second = harvest_page(b("/cgi/oai2"), verb="ListRecords", resumptionToken=token.text)
    harvested = header_identifiers(first) + header_identifiers(second)
    assert len(header_identifiers(first)) == 100
    assert len(set(harvested)) == HARVESTED + 1
    assert f"oai:demo:{item_id}" in harvested
    assert not resumption_token(second).text  # the last page

    # Signing out on B ends the session on A too: sessions live in the shared database.
    assert post_form(on_b, b("/accounts/logout/"), {}).status_code == 302
    assert on_a.get(a("/admin/"), allow_redirects=False).status_code == 302
