from django.apps import AppConfig


class EprintsAppConfig(AppConfig):
    name = "eprints_app"
    verbose_name = "Repository"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the system checks and the few receivers (each module says why it needs one).
        from eprints_app import checks  # noqa: F401
        from eprints_app.services import changes, documents, role_members  # noqa: F401
