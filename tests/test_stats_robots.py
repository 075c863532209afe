"""The COUNTER robots list: shipped with its licence, and replaced from a file only when every
pattern in it is a regular expression."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from eprints_app.stats import robots


@pytest.fixture(autouse=True)
def replacement(settings, tmp_path):
    settings.USAGE_ROBOTS_FILE = str(tmp_path / "var" / "COUNTER_Robots_list.json")
    robots.robots.reset()
    yield tmp_path / "var" / "COUNTER_Robots_list.json"
    robots.robots.reset()


def test_the_shipped_list_is_counters_with_its_licence():
    patterns = robots.parse(robots.SHIPPED.read_text(encoding="utf-8"))
    assert len(patterns) > 250
    assert {"bot", "spider", "crawl", "^.?$", "Unpaywall"} <= set(patterns)
    licence = (robots.SHIPPED.parent / "LICENSE-COUNTER-Robots.txt").read_text()
    assert "MIT License" in licence and "COUNTER ONLINE METRICS" in licence


def test_matching_ignores_case_and_finds_a_pattern_anywhere():
    assert robots.is_robot("Mozilla/5.0 (compatible; SemrushBOT/7)")
    assert robots.is_robot("Java/17.0.2")
    assert not robots.is_robot(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
    )


def test_a_new_list_replaces_the_shipped_one(tmp_path, replacement):
    source = tmp_path / "new.json"
    source.write_text(json.dumps([{"pattern": "^Firefox-Like-Thing", "last_changed": "2026-01-01"}]))
    call_command("update_robots_list", str(source), verbosity=0)
    assert json.loads(replacement.read_text())[0]["pattern"] == "^Firefox-Like-Thing"
    assert robots.is_robot("firefox-like-thing/1.0")
    assert not robots.is_robot("Googlebot/2.1")  # only the new list's patterns now


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("not json", "not JSON"),
        ("{}", "non-empty JSON list"),
        ("[]", "non-empty JSON list"),
        ('[{"pattern": "bot"}, {"last_changed": "2020-01-01"}]', 'entry 2 has no "pattern"'),
        (
            '[{"pattern": "bot"}, {"pattern": "(unclosed"}]',
            "entry 2: '(unclosed' is not a regular expression",
        ),
    ],
)
def test_a_bad_list_is_refused_with_the_reason_and_the_old_one_stays(tmp_path, replacement, content, reason):
    source = tmp_path / "bad.json"
    source.write_text(content)
    with pytest.raises(CommandError, match=reason.replace("(", r"\(")):
        call_command("update_robots_list", str(source))
    assert not replacement.exists()
    assert robots.is_robot("Googlebot/2.1")


def test_a_missing_file_is_refused_with_a_message(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("update_robots_list", str(tmp_path / "absent.json"))
