"""The repository's roles, as Django groups with their permissions (eprints.md §9).

Depositors create and edit their own items in the admin while they are in the workarea;
editors see and edit everything and review deposits; administrators also manage accounts.
"""

DEPOSITOR, EDITOR, ADMINISTRATOR = "depositor", "editor", "administrator"

_OWN_WORK = [
    "eprints_app.add_item",
    "eprints_app.change_item",
    "eprints_app.view_item",
    "eprints_app.add_creator",
    "eprints_app.change_creator",
    "eprints_app.delete_creator",
    "eprints_app.view_creator",
    "eprints_app.add_document",
    "eprints_app.change_document",
    "eprints_app.delete_document",
    "eprints_app.view_document",
    "eprints_app.view_subject",
    "eprints_app.view_division",
]
_EDITING = [
    "eprints_app.edit_any_item",
    "eprints_app.delete_item",
    "eprints_app.view_copyrequest",
    "eprints_app.change_copyrequest",
]
_ADMINISTRATION = [
    "eprints_app.add_subject",
    "eprints_app.change_subject",
    "eprints_app.delete_subject",
    "eprints_app.add_division",
    "eprints_app.change_division",
    "eprints_app.delete_division",
    "eprints_app.delete_copyrequest",
    "auth.add_user",
    "auth.change_user",
    "auth.view_user",
    "auth.view_group",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    DEPOSITOR: _OWN_WORK,
    EDITOR: _OWN_WORK + _EDITING,
    ADMINISTRATOR: _OWN_WORK + _EDITING + _ADMINISTRATION,
}
