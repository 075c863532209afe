from django.apps import AppConfig


class EprintsAppConfig(AppConfig):
    name = "eprints_app"
    verbose_name = "Repository"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from eprints_app import checks, signals  # noqa: F401  (registers checks and receivers)
