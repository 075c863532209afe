"""Create the demo administrator if missing, and say how to log in."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


def remembered_password(path: Path) -> str:
    return path.read_text().strip() if path.exists() else ""


class Command(BaseCommand):
    help = (
        "Create the demo superuser (DEMO_ADMIN_USER, default 'admin') if it does not exist, with "
        "DEMO_ADMIN_PASSWORD or a generated password kept in var/demo-admin-password, and print "
        "how to log in. Safe to re-run."
    )

    def handle(self, *args, **options) -> None:
        password_file = Path(settings.BASE_DIR) / "var" / "demo-admin-password"
        username = os.environ.get("DEMO_ADMIN_USER", "admin")
        given = os.environ.get("DEMO_ADMIN_PASSWORD", "")
        users = get_user_model()
        user = users.objects.filter(username=username).first()
        if user is None:
            password = given or remembered_password(password_file) or secrets.token_urlsafe(12)
            users.objects.create_superuser(username=username, email="", password=password)
            if not given:
                password_file.parent.mkdir(exist_ok=True)
                password_file.write_text(password + "\n")
            self.stdout.write(f"Created the demo administrator {username!r}.")
        elif given:
            user.set_password(given)
            user.save(update_fields=["password"])
            password = given
        elif user.check_password(remembered_password(password_file)):
            password = remembered_password(password_file)
        else:
            password = "(unchanged; set DEMO_ADMIN_PASSWORD to reset it)"
        self.stdout.write(f"Log in at {settings.BASE_URL}/admin/ as {username!r} with password {password}")
