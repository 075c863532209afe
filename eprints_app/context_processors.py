from django.conf import settings


def repository(request) -> dict:
    """The repository's name and public root, for the header and footer of every page."""
    return {
        "repository_name": settings.REPOSITORY_NAME,
        "repository_contact_email": settings.REPOSITORY_CONTACT_EMAIL,
        "base_url": settings.BASE_URL,
    }
