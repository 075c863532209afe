"""The six verbs (protocol §4) and the arguments each takes.

A verb receives arguments already checked by ``arguments.check`` and the response time,
raises ``OAIError`` for what only it can find wrong, and returns a template and its context.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db.models import Min
from django.urls import reverse

from eprints_app.exports import ExportFormat, oai_formats
from eprints_app.models import Item
from eprints_app.oai import pages, records, sets, tokens
from eprints_app.oai.arguments import date_range
from eprints_app.oai.errors import (
    BAD_RESUMPTION_TOKEN,
    CANNOT_DISSEMINATE_FORMAT,
    ID_DOES_NOT_EXIST,
    NO_RECORDS_MATCH,
    OAIError,
)

Answer = tuple[str, dict]

# The oai-identifier scheme asks for a domain name as the repository identifier.
DOMAIN_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+\Z")


def metadata_format(prefix: str) -> ExportFormat:
    fmt = oai_formats().get(prefix)
    if fmt is None:
        raise OAIError(CANNOT_DISSEMINATE_FORMAT, f"The metadata format {prefix!r} is not offered here.")
    return fmt


def harvestable_item(identifier: str) -> Item:
    pk = records.parse_identifier(identifier)
    found = list(records.harvestable().with_parts().filter(pk=pk)) if pk is not None else []
    if not found:
        raise OAIError(ID_DOES_NOT_EXIST, f"There is no record {identifier!r} in this repository.")
    return found[0]


def identify(args: dict[str, str], now: datetime) -> Answer:
    earliest = records.harvestable().aggregate(earliest=Min("last_modified"))["earliest"]
    repository_id = settings.REPOSITORY_ID
    return "oai/identify.xml", {
        "repository_name": settings.REPOSITORY_NAME,
        "oai_base_url": f"{settings.BASE_URL}{reverse('oai')}",
        "admin_email": settings.REPOSITORY_CONTACT_EMAIL,
        "earliest_datestamp": records.datestamp(earliest or now),
        # Left out rather than sent invalid when REPOSITORY_ID is not a domain name.
        "repository_identifier": repository_id if DOMAIN_NAME.match(repository_id) else None,
        "sample_identifier": records.oai_identifier(1),
    }


def list_metadata_formats(args: dict[str, str], now: datetime) -> Answer:
    if "identifier" in args:
        harvestable_item(args["identifier"])  # every format can disseminate every record
    return "oai/list_metadata_formats.xml", {"formats": sorted(oai_formats().items())}


def list_sets(args: dict[str, str], now: datetime) -> Answer:
    if "resumptionToken" in args:
        raise OAIError(BAD_RESUMPTION_TOKEN, "ListSets is answered in one response: it has no tokens.")
    return "oai/list_sets.xml", {"sets": sets.all_sets()}


def get_record(args: dict[str, str], now: datetime) -> Answer:
    fmt = metadata_format(args["metadataPrefix"])
    item = harvestable_item(args["identifier"])
    return "oai/get_record.xml", {"record": records.record_xml(item, fmt)}


def list_headers_or_records(verb: str, args: dict[str, str], now: datetime) -> Answer:
    """ListRecords and ListIdentifiers: a page of the list, and a token when more follow."""
    if "resumptionToken" in args:
        state = tokens.decode(args["resumptionToken"], verb)
        fmt = oai_formats().get(state.prefix)
        if fmt is None:
            raise OAIError(BAD_RESUMPTION_TOKEN, "The token's metadata format is no longer offered.")
    else:
        fmt = metadata_format(args["metadataPrefix"])
        start, end = date_range(args)
        state = tokens.ListState(verb, args["metadataPrefix"], args.get("set"), start, end)
    items = records.selection(state)
    listing = verb == "ListRecords"
    found = pages.page(items, state.after, fmt if listing else None) if items is not None else None
    if found is None or not found.keys:
        raise OAIError(NO_RECORDS_MATCH, "No records match the arguments.")
    token = None
    if found.more or state.cursor:
        sent = state.cursor + len(found.keys)
        # A list that grew during the harvest is longer than first counted.
        total = max(state.total if state.total is not None else items.count(), sent + int(found.more))
        token = {"cursor": state.cursor, "total": total, "value": ""}
        if found.more:
            last = found.keys[-1]
            token["value"] = tokens.encode(state.next((last.last_modified, last.pk), len(found.keys), total))
            token["expiration"] = records.datestamp(now + tokens.LIFETIME)
    if listing:
        return "oai/list_records.xml", {"records": found.xml, "token": token}
    return "oai/list_identifiers.xml", {"headers": found.xml, "token": token}


@dataclass(frozen=True)
class Verb:
    answer: Callable[[dict[str, str], datetime], Answer]
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    #: An argument that must come alone (protocol §3.5).
    exclusive: str | None = None


LIST_ARGUMENTS = {
    "required": frozenset({"metadataPrefix"}),
    "optional": frozenset({"from", "until", "set"}),
    "exclusive": "resumptionToken",
}

VERBS: dict[str, Verb] = {
    "Identify": Verb(identify),
    "ListMetadataFormats": Verb(list_metadata_formats, optional=frozenset({"identifier"})),
    "ListSets": Verb(list_sets, exclusive="resumptionToken"),
    "GetRecord": Verb(get_record, required=frozenset({"identifier", "metadataPrefix"})),
    "ListIdentifiers": Verb(partial(list_headers_or_records, "ListIdentifiers"), **LIST_ARGUMENTS),
    "ListRecords": Verb(partial(list_headers_or_records, "ListRecords"), **LIST_ARGUMENTS),
}
