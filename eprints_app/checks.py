"""System checks that name a bad configuration before the first request does."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=False)
def check_configuration(app_configs, **kwargs) -> list:
    errors = []
    base = urlsplit(settings.BASE_URL)
    if base.scheme not in {"http", "https"} or not base.netloc or base.path not in {"", "/"}:
        errors.append(
            Error(
                f"BASE_URL {settings.BASE_URL!r} is not a site root such as https://eprints.example.ac.uk.",
                hint="Set BASE_URL to the scheme and host readers use, without a path.",
                id="eprints_app.E002",
            )
        )
    if not settings.REPOSITORY_ID or not settings.REPOSITORY_ID.replace("-", "").replace(".", "").isalnum():
        errors.append(
            Error(
                f"REPOSITORY_ID {settings.REPOSITORY_ID!r} must be letters, digits, '.' or '-'.",
                hint="It is used in OAI-PMH identifiers (oai:<id>:<eprintid>) and export file names.",
                id="eprints_app.E003",
            )
        )
    try:
        if int(settings.MAX_UPLOAD_SIZE_MB) <= 0:
            raise ValueError
    except ValueError:
        errors.append(
            Error(
                f"MAX_UPLOAD_SIZE_MB {settings.MAX_UPLOAD_SIZE_MB!r} is not a positive whole number.",
                id="eprints_app.E004",
            )
        )
    if not str(settings.PUBLIC_CACHE_SECONDS).isdigit():
        errors.append(
            Error(
                f"PUBLIC_CACHE_SECONDS {settings.PUBLIC_CACHE_SECONDS!r} is not a whole number of seconds.",
                hint="How long a CDN or reverse proxy may keep a public page; 0 for not at all.",
                id="eprints_app.E007",
            )
        )
    if settings.SENDFILE_HEADER not in {"", "X-Accel-Redirect", "X-Sendfile"}:
        errors.append(
            Error(
                f"SENDFILE_HEADER {settings.SENDFILE_HEADER!r} is not X-Accel-Redirect or X-Sendfile.",
                hint="Leave it unset for Django to send files itself.",
                id="eprints_app.E008",
            )
        )
    if settings.USE_S3 and not (settings.STORAGES["default"]["OPTIONS"].get("access_key")):
        errors.append(
            Warning(
                "S3 storage is configured without AWS_ACCESS_KEY_ID; "
                "boto3 will look for credentials elsewhere.",
                id="eprints_app.W001",
            )
        )
    if settings.TASKS_BACKEND not in settings.TASK_BACKENDS:
        errors.append(
            Error(
                f"TASKS_BACKEND {settings.TASKS_BACKEND!r} is not one of: "
                f"{', '.join(settings.TASK_BACKENDS)}.",
                hint="Leave it unset to run tasks at once, or set 'database' and run manage.py db_worker.",
                id="eprints_app.E006",
            )
        )
    if not settings.DEBUG and not settings.ALLOWED_HOSTS:
        errors.append(Error("ALLOWED_HOSTS is empty while DEBUG is off.", id="eprints_app.E005"))
    return errors
