"""The OAI-PMH endpoint, /cgi/oai2 (and /oai): GET or POST, always XML, always HTTP 200."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from eprints_app.oai.arguments import bad, check, verb_of
from eprints_app.oai.errors import BAD_VERB, UNECHOED, OAIError
from eprints_app.oai.records import datestamp
from eprints_app.oai.verbs import VERBS

FORM = "application/x-www-form-urlencoded"


def arguments_of(request: HttpRequest) -> dict[str, list[str]]:
    """Every argument with all its values: GET's query string, or POST's form body (protocol §3.1.1)."""
    if request.method == "POST" and request.content_type not in {FORM, ""}:
        raise bad(f"POST requests must be sent as {FORM}.")
    try:
        return dict((request.POST if request.method == "POST" else request.GET).lists())
    except SuspiciousOperation as error:  # too many fields, or too large a body
        raise bad("The request has too many arguments or is too large.") from error


@csrf_exempt  # harvesters POST without a session, and the endpoint changes nothing
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    now = timezone.now().replace(microsecond=0)
    context = {"response_date": datestamp(now), "request_url": f"{settings.BASE_URL}{request.path}"}
    echo: list[tuple[str, str]] = []
    try:
        params = arguments_of(request)
        verb_name = verb_of(params)
        verb = VERBS.get(verb_name)
        if verb is None:
            raise OAIError(BAD_VERB, f"{verb_name[:100]!r} is not an OAI-PMH verb.")
        args = check(params, verb.required, verb.optional, verb.exclusive)
        echo = [("verb", verb_name), *args.items()]
        template, answer = verb.answer(args, now)
    except OAIError as error:
        if error.code in UNECHOED:
            echo = []
        template, answer = "oai/error.xml", {"error": error}
    context |= {"echo": echo, **answer}
    return HttpResponse(render_to_string(template, context), content_type="text/xml; charset=utf-8")
