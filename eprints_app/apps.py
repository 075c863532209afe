from django.apps import AppConfig
from django.db.backends.signals import connection_created


class EprintsAppConfig(AppConfig):
    name = "eprints_app"
    verbose_name = "Repository"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the system checks and the few receivers (each module says why it needs one).
        from eprints_app import checks, nul_bytes  # noqa: F401
        from eprints_app.services import changes, documents, role_members  # noqa: F401

        connection_created.connect(nul_bytes.install)
