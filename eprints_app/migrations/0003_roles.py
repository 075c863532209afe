"""Create the depositor, editor and administrator groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from eprints_app.roles import ROLE_PERMISSIONS


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [code.split(".") for code in codes]
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
        group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("eprints_app", "0002_history_and_copy_requests"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
