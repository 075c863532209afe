"""Resumption tokens (protocol §3.5): the whole state of a list harvest, signed, kept nowhere.

A token carries the request (verb, metadataPrefix, set, date range), the key of the last
record sent (its Last Modified and ID: the next page starts after it), the cursor and the
size of the complete list. It is signed with SECRET_KEY (``django.core.signing``), so any
app server can continue a harvest, a restart loses nothing, and an edited or expired token
is refused as badResumptionToken.
"""

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from django.core import signing

from eprints_app.oai.errors import BAD_RESUMPTION_TOKEN, OAIError

SALT = "eprints_app.oai.resumption"
#: How long a harvester may take between two pages.
LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class ListState:
    """Where a ListRecords or ListIdentifiers harvest stands."""

    verb: str
    prefix: str
    set_spec: str | None = None
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive
    after: tuple[datetime, int] | None = None  # (last_modified, id) of the last record sent
    cursor: int = 0
    total: int | None = None

    def next(self, last: tuple[datetime, int], sent: int, total: int) -> "ListState":
        return replace(self, after=last, cursor=self.cursor + sent, total=total)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(UTC) if value is not None else None


def encode(state: ListState) -> str:
    after_time, after_id = state.after if state.after else (None, None)
    payload = [
        state.verb,
        state.prefix,
        state.set_spec,
        _iso(state.start),
        _iso(state.end),
        _iso(after_time),
        after_id,
        state.cursor,
        state.total,
    ]
    return signing.dumps(payload, salt=SALT, compress=True)


def decode(token: str, verb: str) -> ListState:
    """The state a token carries; badResumptionToken when it is expired, altered or for another verb."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=LIFETIME)
    except signing.SignatureExpired as error:
        raise OAIError(BAD_RESUMPTION_TOKEN, "The resumptionToken has expired.") from error
    except signing.BadSignature as error:
        raise OAIError(BAD_RESUMPTION_TOKEN, "The resumptionToken is not valid.") from error
    try:
        token_verb, prefix, set_spec, start, end, after_time, after_id, cursor, total = payload
        after = (_datetime(after_time), int(after_id)) if after_time is not None else None
        state = ListState(
            token_verb, prefix, set_spec, _datetime(start), _datetime(end), after, int(cursor), total
        )
    except (TypeError, ValueError) as error:
        raise OAIError(BAD_RESUMPTION_TOKEN, "The resumptionToken is not valid.") from error
    if state.verb != verb:
        raise OAIError(BAD_RESUMPTION_TOKEN, f"This resumptionToken belongs to {state.verb}, not {verb}.")
    return state
