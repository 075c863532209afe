"""EPrints' user XML (``users.xml``): accounts created or brought up to date by user name.

Imported users get no usable password (they set one through a password reset) and the role of
their EPrints user type. The import answers EPrints' user IDs with our users, so that each
record's ``<userid>`` names its depositor.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from lxml import etree

from eprints_app.exports.ep3 import EP3_NS
from eprints_app.imports.ep3xml import ImportReport, MalformedXML, element_value, local_name
from eprints_app.roles import ADMINISTRATOR, DEPOSITOR, EDITOR

# EPrints' user types and the roles they become.
ROLES = {"user": DEPOSITOR, "editor": EDITOR, "admin": ADMINISTRATOR}


def import_users(path: Path, report: ImportReport) -> dict[str, AbstractBaseUser]:
    """Create or update each <user> of the file, all or none; returns {EPrints user ID: user}."""
    with transaction.atomic():
        return read_users(path, report)


def read_users(path: Path, report: ImportReport) -> dict[str, AbstractBaseUser]:
    users: dict[str, AbstractBaseUser] = {}
    events = etree.iterparse(
        str(path), events=("end",), resolve_entities=False, no_network=True, remove_comments=True
    )
    try:
        for _, element in events:
            if local_name(element) != "user" or etree.QName(element).namespace not in (None, EP3_NS):
                continue
            record = element_value(element)
            element.clear(keep_tail=True)
            if isinstance(record, dict):
                user = save_user(record, report)
                if user is not None and isinstance(record.get("userid"), str):
                    users[record["userid"]] = user
    except etree.XMLSyntaxError as error:
        message = f"{path}: the file is not well-formed XML at line {error.lineno}: {error.msg}"
        raise MalformedXML(message, error.lineno) from None
    return users


def save_user(record: dict, report: ImportReport) -> AbstractBaseUser | None:
    username = record.get("username")
    if not isinstance(username, str) or not username.strip() or len(username) > 150:
        report.warnings.append(
            f"users.xml: user {record.get('userid', '?')} has no usable user name; left out."
        )
        return None
    name = record.get("name") if isinstance(record.get("name"), dict) else {}
    fields = {
        "email": text(record, "email")[:254],
        "first_name": text(name, "given")[:150],
        "last_name": text(name, "family")[:150],
    }
    model = get_user_model()
    user = model.objects.filter(username=username).first()
    if user is None:
        user = model(username=username, **fields)
        user.set_unusable_password()
        user.save()
        report.users_created += 1
    elif any(getattr(user, key) != value for key, value in fields.items()):
        for key, value in fields.items():
            setattr(user, key, value)
        user.save(update_fields=list(fields))
        report.users_updated += 1
    role = ROLES.get(text(record, "usertype"))
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def text(record: dict, name: str) -> str:
    value = record.get(name, "")
    return value if isinstance(value, str) else ""
