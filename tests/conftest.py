import pytest

from eprints_app.roles import ADMINISTRATOR, DEPOSITOR, EDITOR


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached listings and rate limits never carry from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Tests create many users; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test stores its files in a fresh folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def demo_repository(settings):
    """The demo repository's address, name and id (the settings' defaults), whatever the
    environment says: expected links, citations and identifiers are written for them. A test of
    another address sets its own."""
    settings.BASE_URL = "http://127.0.0.1:8000"
    settings.REPOSITORY_NAME = "Demo Research Online"
    settings.REPOSITORY_ID = "demo"


@pytest.fixture(scope="session", autouse=True)
def empty_static_root(tmp_path_factory):
    """WhiteNoise serves no collected static files, as on a fresh clone, whatever `make serve` or a
    benchmark has collected into the checkout's staticfiles/: each test client's WhiteNoise reads
    that whole folder when it starts (some 40 ms a test for the admin's files)."""
    from django.test import override_settings

    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("staticfiles")):
        yield


@pytest.fixture(scope="session")
def demo_pdfs():
    """load_demo's PDFs, made once a session: rendering them was most of the demo's load time.

    Keyed on everything make_pdf is given, so a test that loads the demo gets the PDF the command
    would have made (bar the creation date fpdf2 writes into it).
    """
    from eprints_app.management.commands import load_demo

    made: dict[tuple, bytes] = {}
    render = load_demo.make_pdf

    def make_pdf(title, authors, abstract, pages=4, *, target_size=None):
        key = (title, tuple(authors), abstract, pages, target_size)
        if key not in made:
            made[key] = render(title, authors, abstract, pages, target_size=target_size)
        return made[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(load_demo, "make_pdf", make_pdf)
        yield


@pytest.fixture
def seed(db, demo_pdfs):
    """The demo data, loaded by the same command as `make run`; returns the seed item."""
    from django.core.management import call_command

    from eprints_app.models import Item

    call_command("load_demo", verbosity=0)
    return Item.objects.get(pk=114516)


# The cast: one user of each kind, each given their role the way production does it, by
# joining the role's group (eprints_app.roles), which also makes them staff.


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def cast_member(username: str, role: str):
    """A user in the role's group, with an address of their own."""
    from tests.factories import make_user

    return make_user(username, role=role, email=f"{username}@example.org")


@pytest.fixture
def depositor(db):
    return cast_member("dora", DEPOSITOR)


@pytest.fixture
def other_depositor(db):
    return cast_member("olga", DEPOSITOR)


@pytest.fixture
def editor(db):
    return cast_member("eddie", EDITOR)


@pytest.fixture
def administrator(db):
    return cast_member("ada", ADMINISTRATOR)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    # Only the live server may be reached: every other host name fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


def require_chromium(path: str | None = None) -> str:
    """The Chromium to drive; skips the test when it is missing, or fails under REQUIRE_BROWSER=1 (CI)."""
    import os

    path = path or CHROMIUM
    if os.access(path, os.X_OK):
        return path
    message = f"Chromium not found at {path}: run scripts/install-browser (needs root)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture
def browser(monkeypatch):
    """A headless Chromium driven by Playwright's sync API, reaching only the live server."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    # The sync API runs an event loop in this thread; the test's own ORM calls must still work.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session", autouse=True)
def end_database_sessions(django_db_setup, django_db_blocker):
    """Let pytest-django drop the PostgreSQL test database at the end.

    Pooled connections stay open after Django "closes" them, and the live server's request
    threads can end with a keep-alive connection still holding one; PostgreSQL refuses to
    drop a database that has sessions.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
        connection.close()
        connection.close_pool()
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )


@pytest.fixture
def uncached_pages(settings):
    """Every request renders: for tests that count what rendering a page costs, below the kept
    copies of eprints_app.public_cache."""
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "eprints_app.public_cache.PublicCacheMiddleware"
    ]
