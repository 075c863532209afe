"""Configuration from the environment, and the checks that name a bad one."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr


def test_production_starts_with_a_secret_key():
    result = run_manage("check", DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="repo.example.org")
    assert result.returncode == 0, result.stderr


def test_a_base_url_with_a_path_is_reported_by_the_checks():
    result = run_manage("check", BASE_URL="eprints.example.org/repo")
    assert result.returncode != 0
    assert "eprints_app.E002" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("REPOSITORY_ID", "my repo!", "eprints_app.E003"),
        ("MAX_UPLOAD_SIZE_MB", "lots", "eprints_app.E004"),
        ("PUBLIC_CACHE_SECONDS", "a minute", "eprints_app.E007"),
    ],
)
def test_bad_values_are_named_by_the_checks(settings, name, value, code):
    setattr(settings, name, value)
    with pytest.raises(SystemCheckError, match=code):
        call_command("check")


def test_base_url_makes_the_item_uri(settings):
    from eprints_app.models import Item

    settings.BASE_URL = "http://eprints.lse.ac.uk"
    assert Item(id=114516).uri == "http://eprints.lse.ac.uk/id/eprint/114516"
