"""Forms for depositing and editing, shared by the admin and the actions view.

The field groups follow EPrints' deposit stages: type, files, details, subjects.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms import inlineformset_factory

from eprints_app.models import Creator, Document, Item
from eprints_app.models.document import DOCUMENT_METADATA
from eprints_app.services.files import validate_upload
from eprints_app.validators import validate_storable_file_name

TYPE_FIELDS = ["type", "monograph_type", "thesis_type", "pres_type"]
DETAIL_FIELDS = [
    "title",
    "abstract",
    "date",
    "date_type",
    "ispublished",
    "publisher",
    "place_of_pub",
    "series",
    "publication",
    "volume",
    "number",
    "pagerange",
    "pages",
    "isbn",
    "issn",
    "book_title",
    "edition",
    "event_title",
    "event_type",
    "event_location",
    "event_dates",
    "institution",
    "department",
    "official_url",
    "id_number",
    "refereed",
    "keywords",
    "note",
    "contact_email",
]
SUBJECT_FIELDS = ["subjects", "divisions"]

STAGES = [
    ("Type", TYPE_FIELDS),
    ("Details", DETAIL_FIELDS),
    ("Subjects", SUBJECT_FIELDS),
]


class ItemForm(forms.ModelForm):
    """The item's own fields, refusing an edit based on an older revision than the stored one."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    official_url = forms.URLField(
        label="Official URL", max_length=1024, required=False, assume_scheme="https"
    )

    class Meta:
        model = Item
        fields = TYPE_FIELDS + DETAIL_FIELDS + SUBJECT_FIELDS
        widgets = {
            "subjects": forms.SelectMultiple(attrs={"size": 8}),
            "divisions": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.rev_number

    def clean(self) -> dict:
        # A form-wide error, so that the admin (which hides the hidden field's row) shows it too.
        cleaned_data = super().clean()
        revision = cleaned_data.get("revision")
        if revision is not None and revision != self.instance.rev_number:
            raise ValidationError(
                f"Someone else saved this item (revision {self.instance.rev_number}) after you "
                f"opened it (revision {revision}). Your changes were not saved: reload the page "
                "to see the current record, then make your changes again.",
                code="stale",
            )
        return cleaned_data


class DocumentForm(forms.ModelForm):
    """A document; a new upload must pass ``validate_upload`` before anything is stored."""

    class Meta:
        model = Document
        fields = [*DOCUMENT_METADATA, "file"]
        widgets = {"date_embargo": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pos"].required = False

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            validate_storable_file_name(upload.name)
            validate_upload(upload)
        return upload


CreatorFormSet = inlineformset_factory(
    Item,
    Creator,
    fields=["position", "role", "family", "given", "orcid", "email"],
    extra=1,
    can_delete=True,
)

DocumentFormSet = inlineformset_factory(Item, Document, form=DocumentForm, extra=1, can_delete=True)
