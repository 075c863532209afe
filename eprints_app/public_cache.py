"""Public responses kept for anonymous readers and answered again without the ORM or templates.

A view opts in with ``@public_cache``. ``PublicCacheMiddleware``, early in ``MIDDLEWARE``, looks
at each GET from a reader without a session: when the path resolves to an opted-in view, it
answers from the cache, with a 304 where the reader's copy is current; otherwise the request
goes on, and a 200 answer on its way out is kept, with every header the middleware below it
added. A download keeps its headers and the name of its stored file (``keep_file``), which is
opened and sent again. Readers with a session (logged in, or with a message waiting) always get
a live answer, and so do requests for a byte range.

Keys carry the listing generation (``browse.cache``), which every change to an item, its
creators, documents, subjects or divisions moves (``services.changes``), and today's date,
since embargoes end at midnight with no change saved: the next request after a change renders
afresh. Only what an anonymous reader may see is kept, since only anonymous requests are kept.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

from eprints_app.browse.cache import generation
from eprints_app.http import CHUNK
from eprints_app.stats import recording

# Entries are never read again once the generation moves; this only bounds their lifetime.
TIMEOUT = 24 * 3600
# Cookies that make a page personal: a session (logged in) or a message to show.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")

View = Callable[..., HttpResponse]


def public_cache(view: View) -> View:
    """Let ``PublicCacheMiddleware`` keep this view's answers to anonymous readers; marks them
    for shared caches (a CDN, a reverse proxy) for ``PUBLIC_CACHE_SECONDS``, and others private."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if is_anonymous(request):
            patch_cache_control(response, public=True, max_age=0, s_maxage=int(settings.PUBLIC_CACHE_SECONDS))
            patch_vary_headers(response, ["Cookie"])
        else:
            patch_cache_control(response, private=True)
        return response

    wrapped.public_cache = True
    return wrapped


def is_anonymous(request: HttpRequest) -> bool:
    return not any(name in request.COOKIES for name in PERSONAL_COOKIES)


def cacheable(request: HttpRequest) -> bool:
    if request.method != "GET" or "HTTP_RANGE" in request.META or not is_anonymous(request):
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "public_cache", False)


def page_key(request: HttpRequest) -> str:
    address = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:40]
    return f"public:{generation()}:{timezone.localdate().isoformat()}:{digest}"


class PublicCacheMiddleware:
    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.respond(request)
        # Usage statistics, kept answers included: once the answer is chosen, and cheap
        # (the write itself waits until after the response is sent: stats.recording).
        recording.count(request, response)
        return response

    def respond(self, request: HttpRequest) -> HttpResponse:
        if not cacheable(request):
            return self.get_response(request)
        key = page_key(request)
        kept = cache.get(key)
        if kept is not None:
            response = answer(request, *kept)
            if response is not None:
                recording.mark_kept(request)
                return response
        response = self.get_response(request)
        if keepable(response):
            stored = getattr(response, "stored_file", "")
            content = b"" if stored else response.content
            cache.set(key, (content, stored, list(response.items())), TIMEOUT)
        return response


def keep_file(response: HttpResponse, name: str) -> HttpResponse:
    """Mark a whole stored file's answer as keepable: its headers are kept, and the file, opened
    from storage, is sent again (what anyone may download of a live item)."""
    response.stored_file = name
    return response


def keepable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and (not response.streaming or hasattr(response, "stored_file"))
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def answer(
    request: HttpRequest, content: bytes, stored: str, headers: list[tuple[str, str]]
) -> HttpResponse | None:
    """A kept answer as a new response, or a 304 when the reader's copy is current; None when
    its stored file has gone (the view then says what happened)."""
    file = None
    if stored:
        try:
            file = default_storage.open(stored, "rb")
        except OSError:
            return None
        response = FileResponse(file)
        response.block_size = CHUNK
    else:
        response = HttpResponse(content)
    for name, value in headers:  # after FileResponse's own guesses, which they replace
        response[name] = value
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    conditional = get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )
    if conditional is not response and file is not None:
        file.close()  # a 304 instead: the file opened for it is not sent
    return conditional
