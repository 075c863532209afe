"""What a browser would send back from the deposit and edit forms, for tests to change and post."""

from html.parser import HTMLParser

from eprints_app.enums import ItemStatus, ItemType

ADD_URL = "/admin/eprints_app/item/add/"


class ItemFormValues(HTMLParser):
    """What a browser would submit from the admin's item form as rendered, without files or buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self.in_form = False
        self.select: str | None = None
        self.select_multiple = False
        self.first_option: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == "item_form"
        name = attrs.get("name") or ""
        # __prefix__ marks the templates that the admin's JavaScript copies for "Add another".
        if not self.in_form or "__prefix__" in name:
            return
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            value = attrs.get("value") or ("on" if kind == "checkbox" else "")
            self.values.setdefault(name, []).append(value)
        elif tag == "select" and name:
            self.select, self.select_multiple, self.first_option = name, "multiple" in attrs, None
            self.values.setdefault(name, [])
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = attrs.get("value", "")
            if "selected" in attrs:
                self.values[self.select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select:
            if not self.values[self.select] and not self.select_multiple and self.first_option is not None:
                self.values[self.select].append(self.first_option)
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Browsers drop the newline that Django puts after <textarea>.
            self.values[self.textarea][0] = self.values[self.textarea][0].removeprefix("\n")
            self.textarea = None

    def handle_data(self, data) -> None:
        if self.textarea:
            self.values[self.textarea][0] += data


def form_values(response) -> dict:
    """The item form of an admin add or change page, as a dict the test client can post back."""
    assert response.status_code == 200
    parser = ItemFormValues()
    parser.feed(response.content.decode())
    values = {name: found if len(found) > 1 else found[0] for name, found in parser.values.items() if found}
    values.pop("csrfmiddlewaretoken", None)
    return values


def deposit_data(client, upload=None, **fields) -> dict:
    """The add form as rendered, filled in as a complete report by Ahmar, with an optional upload."""
    data = form_values(client.get(ADD_URL))
    data.update(
        {
            "type": ItemType.MONOGRAPH,
            "monograph_type": "report",
            "title": "Changing dynamics of soft power",
            "date": "2021",
            "publisher": "LSE Ideas",
            "place_of_pub": "London, UK",
            "status": ItemStatus.ARCHIVE,
            "creators-0-family": "Ahmar",
            "creators-0-given": "Moonis",
        }
    )
    if upload is not None:
        data.update({"documents-0-file": upload, "documents-0-content": "published"})
    data.update(fields)
    return data


def form_errors(response) -> list[str]:
    """Every error the admin change form shows, from the item form and its inlines."""
    return [error for errors in response.context["errors"] for error in errors]


def edit_data(response) -> dict:
    """The edit form as the browser would send it back unchanged."""
    context = response.context
    forms = [
        context["item_form"],
        context["creator_formset"].management_form,
        *context["creator_formset"].forms,
        context["document_formset"].management_form,
        *context["document_formset"].forms,
    ]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False or field.widget_type == "clearablefile":
                continue
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = "on" if value is True else str(value)
    return data


def edit_adding_a_file(client, owner, filename: str, *, before: str, after: str) -> tuple:
    """An item of ``owner``'s in the workarea titled ``before``, and what its actions view's edit
    form sends to retitle it ``after`` and add a PDF named ``filename``: (item, url, data)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import make_item, pdf_bytes

    item = make_item(status=ItemStatus.INBOX, depositor=owner, title=before)
    client.force_login(owner)
    url = f"/id/eprint/{item.pk}/actions/"
    data = edit_data(client.get(url))
    data["title"] = after
    data["documents-0-file"] = SimpleUploadedFile(filename, pdf_bytes())
    return item, url, data
