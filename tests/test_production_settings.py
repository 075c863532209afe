"""Production as Django's deployment checklist wants it: HTTPS from an https BASE_URL, and a
favicon where browsers look for it."""

import secrets

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from tests.test_settings import run_manage

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "BASE_URL": "https://eprints.example.ac.uk",
}


def shown(*env: dict) -> list[str]:
    """The HTTPS settings as production would have them."""
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)"
    )
    result = run_manage("shell", "--verbosity", "0", "-c", code, **{k: v for e in env for k, v in e.items()})
    return result.stdout.split()


def test_the_deployment_checklist_finds_nothing_with_an_https_base_url():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_https_settings_follow_the_base_url_and_each_can_be_turned_off():
    assert shown(PRODUCTION) == ["True", "31536000", "True"]
    assert shown(PRODUCTION, {"SECURE_SSL_REDIRECT": "0"}) == ["False", "31536000", "True"]
    assert shown(PRODUCTION, {"BASE_URL": "http://127.0.0.1:8000"}) == ["False", "0", "False"]


def test_a_bad_hsts_value_is_named():
    result = run_manage("check", **PRODUCTION, SECURE_HSTS_SECONDS="a year")
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS must be a whole number" in result.stderr


@pytest.mark.django_db
def test_the_favicon_answers_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("eprints_app/favicon.ico")
    with open(finders.find("eprints_app/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file
