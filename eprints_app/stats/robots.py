"""The COUNTER robots list: user agents whose requests are never counted.

The list shipped in ``data/COUNTER_Robots_list.json`` (COUNTER's, MIT licence, see
``data/LICENSE-COUNTER-Robots.txt``) is used until ``manage.py update_robots_list FILE`` writes
a newer one to ``USAGE_ROBOTS_FILE``. Patterns are regular expressions matched anywhere in the
user agent, ignoring case, as COUNTER asks; an empty user agent matches ``^.?$``. Each process
compiles the list once into one expression and looks at the file again at most once a minute.
"""

import json
import os
import re
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings

SHIPPED = Path(__file__).parent / "data" / "COUNTER_Robots_list.json"
RECHECK_SECONDS = 60
# User agents are few and repeat: their verdicts are kept.
VERDICTS = 4096


class RobotsListError(ValueError):
    """A robots list that cannot be used, with the reason."""


def active_file() -> Path:
    """The list in use: the one written by ``update_robots_list``, else the shipped one."""
    replaced = Path(settings.USAGE_ROBOTS_FILE)
    return replaced if replaced.is_file() else SHIPPED


def parse(text: str) -> list[str]:
    """The patterns of a list in COUNTER's JSON layout (``[{"pattern": ...}, ...]``), each
    checked to be a regular expression; RobotsListError names the first problem."""
    try:
        entries = json.loads(text)
    except ValueError as error:
        raise RobotsListError(f"not JSON: {error}") from None
    if not isinstance(entries, list) or not entries:
        raise RobotsListError('expected a non-empty JSON list of {"pattern": ...} objects')
    patterns = []
    for number, entry in enumerate(entries, start=1):
        pattern = entry.get("pattern") if isinstance(entry, dict) else None
        if not isinstance(pattern, str) or not pattern:
            raise RobotsListError(f'entry {number} has no "pattern" string')
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as error:
            raise RobotsListError(
                f"entry {number}: {pattern!r} is not a regular expression ({error})"
            ) from None
        patterns.append(pattern)
    return patterns


def compile_patterns(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


def replace_list(source: Path) -> int:
    """Check the list in ``source`` and make it the one in use (written whole, then renamed over
    the old one, so a process never reads half a list); returns the number of patterns."""
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RobotsListError(f"cannot read {source}: {error}") from None
    patterns = parse(text)
    target = Path(settings.USAGE_ROBOTS_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".robots-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(patterns)


class RobotsList:
    """The compiled list of one process, reloaded when its file changes, with the verdicts it
    gave (user agents are few and repeat; the list is long to match)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.source: tuple[Path, float] | None = None
        self.checked = 0.0
        self.matcher: re.Pattern | None = None
        self.verdicts: dict[str, bool] = {}

    def is_robot(self, user_agent: str) -> bool:
        if self.matcher is None or time.monotonic() - self.checked > RECHECK_SECONDS:
            self.reload_if_changed()
        verdict = self.verdicts.get(user_agent)
        if verdict is None:
            if len(self.verdicts) >= VERDICTS:
                self.verdicts = {}
            verdict = self.verdicts[user_agent] = self.matcher.search(user_agent) is not None
        return verdict

    def reload_if_changed(self) -> None:
        with self.lock:
            self.checked = time.monotonic()
            path = active_file()
            source = (path, path.stat().st_mtime)
            if source != self.source:
                self.matcher = compile_patterns(parse(path.read_text(encoding="utf-8")))
                self.verdicts = {}
                self.source = source

    def reset(self) -> None:
        """Read the file again at the next request (after ``update_robots_list`` in-process)."""
        with self.lock:
            self.checked, self.source = 0.0, None


robots = RobotsList()
is_robot = robots.is_robot
