"""Checking a request's arguments (protocol §3.1.1, §3.3.1) before any verb runs.

Every value the response may echo in <request> is checked here against the type the
OAI-PMH schema gives that attribute, so an answer never carries what it cannot hold.
"""

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from eprints_app.exports.xmltext import FORBIDDEN
from eprints_app.oai.errors import BAD_ARGUMENT, BAD_VERB, OAIError

# The schema's metadataPrefixType and setSpecType.
_SPEC_PART = r"[A-Za-z0-9\-_.!~*'()]+"
METADATA_PREFIX = re.compile(rf"{_SPEC_PART}\Z")
SET_SPEC = re.compile(rf"{_SPEC_PART}(?::{_SPEC_PART})*\Z")
# An identifier is a URI (RFC 3986): a scheme, then URI characters, %-escapes or non-ASCII characters.
IDENTIFIER = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2}|[^\x00-\x9f])+\Z"
)
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
SECOND = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\Z")

SYNTAX = {
    "identifier": IDENTIFIER,
    "metadataPrefix": METADATA_PREFIX,
    "set": SET_SPEC,
}


def bad(message: str) -> OAIError:
    return OAIError(BAD_ARGUMENT, message)


def verb_of(params: Mapping[str, list[str]]) -> str:
    """The one verb asked for; badVerb when it is missing or repeated."""
    verbs = params.get("verb", [])
    if len(verbs) != 1:
        raise OAIError(BAD_VERB, "The verb argument is missing." if not verbs else "The verb is repeated.")
    return verbs[0]


def check(
    params: Mapping[str, list[str]],
    required: frozenset[str],
    optional: frozenset[str],
    exclusive: str | None,
) -> dict[str, str]:
    """The arguments (besides the verb) when every one is allowed, given once and well formed."""
    args: dict[str, str] = {}
    for name, values in params.items():
        if name == "verb":
            continue
        if name not in required | optional and name != exclusive:
            raise bad(f"The argument {name[:100]!r} is not allowed with this verb.")
        if len(values) != 1:
            raise bad(f"The argument {name} is repeated.")
        value = values[0]
        if FORBIDDEN.search(value):  # XML could not echo it
            raise bad(f"The argument {name} holds characters that are not allowed.")
        pattern = SYNTAX.get(name)
        if pattern is not None and not pattern.match(value):
            raise bad(f"The value of {name} is not well formed.")
        args[name] = value
    if exclusive is not None and exclusive in args:
        if len(args) > 1:
            raise bad(f"The argument {exclusive} cannot be combined with other arguments.")
        return args
    missing = sorted(required - args.keys())
    if missing:
        raise bad(f"The argument {missing[0]} is required.")
    date_range(args)
    return args


def parse_datestamp(value: str) -> tuple[datetime, bool]:
    """A UTC datestamp of either granularity, and whether it is a whole day."""
    try:
        if DAY.match(value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC), True
        if SECOND.match(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), False
    except ValueError:
        pass
    raise bad(f"{value[:40]!r} is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDThh:mm:ssZ).")


def date_range(args: Mapping[str, str]) -> tuple[datetime | None, datetime | None]:
    """``from`` and ``until`` as a half-open range [start, end), both ends inclusive as asked.

    ``until=2024-05-01`` takes in the whole day and ``until=2024-05-01T10:00:00Z`` the whole
    second, since datestamps are shown to the second.
    """
    start = end = None
    day_granularity = set()
    if "from" in args:
        start, whole_day = parse_datestamp(args["from"])
        day_granularity.add(whole_day)
    if "until" in args:
        until, whole_day = parse_datestamp(args["until"])
        day_granularity.add(whole_day)
        try:
            end = until + (timedelta(days=1) if whole_day else timedelta(seconds=1))
        except OverflowError:
            end = None  # the end of year 9999: no upper bound
        if start is not None and start > until:
            raise bad("The from date is later than the until date.")
    if len(day_granularity) > 1:
        raise bad("The from and until arguments must have the same granularity.")
    return start, end
