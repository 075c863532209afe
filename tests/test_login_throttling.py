"""Sign-in throttling (django-axes) on the site's login and the admin's, and the admin's address."""

import pytest

from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db

LOGINS = ["/accounts/login/", "/admin/login/"]


def attempt(client, url: str, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", LOGINS)
def test_after_five_failures_even_the_right_password_is_refused_for_a_while(client, editor, url, settings):
    answers = [
        attempt(client, url, editor.username, "wrong").status_code for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the form, then the lock-out
    locked = attempt(client, url, editor.username, f"pw-{editor.username}")
    assert locked.status_code == 429
    assert b"Too many attempts to log in" in locked.content
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", LOGINS)
def test_a_lock_out_holds_for_one_user_name_from_one_address(client, editor, depositor, url, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, url, editor.username, "wrong")
    assert attempt(client, url, depositor.username, f"pw-{depositor.username}").status_code == 302
    client.logout()
    elsewhere = attempt(client, url, editor.username, f"pw-{editor.username}", address="198.51.100.7")
    assert elsewhere.status_code == 302


def test_a_forwarded_address_does_not_escape_a_lock_out(client, editor, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": editor.username, "password": "wrong"},
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    answer = client.post(
        "/accounts/login/",
        {"username": editor.username, "password": f"pw-{editor.username}"},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert answer.status_code == 429


def test_a_success_before_the_limit_starts_the_count_again(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, LOGINS[0], editor.username, "wrong")
    assert attempt(client, LOGINS[0], editor.username, f"pw-{editor.username}").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, LOGINS[0], editor.username, "wrong")
    assert attempt(client, LOGINS[0], editor.username, f"pw-{editor.username}").status_code == 302


def test_the_admin_can_live_at_another_address():
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    result = run_manage("shell", "--verbosity", "0", "-c", code, ADMIN_URL="/staff-only/")
    assert result.stdout.split() == ["/staff-only/"]
