"""The search form: simple search uses ``q`` (and facet parameters), advanced search all fields."""

from django import forms
from django.core.exceptions import ValidationError

from eprints_app.enums import ItemType, PublicationStatus
from eprints_app.search.classification import Tree
from eprints_app.search.criteria import TEXT_FIELDS, Criteria
from eprints_app.search.syntax import MAX_QUERY_LENGTH, parse

ORDERS = {
    "relevance": "Relevance",
    "newest": "Newest",
    "oldest": "Oldest",
    "author": "Author",
    "title": "Title",
}
REFEREED = {"yes": True, "no": False}


class QueryField(forms.CharField):
    """Text to search for; anything past ``MAX_QUERY_LENGTH`` characters is dropped, not refused."""

    def __init__(self, label: str) -> None:
        super().__init__(label=label, required=False, widget=forms.TextInput(attrs={"type": "search"}))

    def to_python(self, value):
        return super().to_python(value)[:MAX_QUERY_LENGTH].strip()


class YearsField(forms.Field):
    """Years chosen from the facet (``year=2021``, repeatable)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        years = []
        for text in value or []:
            if not (len(text) == 4 and text.isascii() and text.isdigit()):
                raise ValidationError("Years are four digits, such as 2021.", code="invalid")
            years.append(int(text))
        return years


class SearchForm(forms.Form):
    q = QueryField("Search for")
    title = QueryField("Title")
    creators = QueryField("Creators")
    abstract = QueryField("Abstract")
    keywords = QueryField("Keywords")
    full_text = QueryField("Full text")
    year_from = forms.IntegerField(label="From year", required=False, min_value=1, max_value=9999)
    year_to = forms.IntegerField(label="To year", required=False, min_value=1, max_value=9999)
    type = forms.MultipleChoiceField(
        label="Item type", required=False, choices=ItemType.choices, widget=forms.CheckboxSelectMultiple
    )
    year = YearsField(required=False)
    subject = forms.MultipleChoiceField(
        label="Subjects",
        required=False,
        help_text="Items classified under every subject chosen, or under its sub-headings.",
    )
    division = forms.MultipleChoiceField(
        label="Divisions",
        required=False,
        help_text="Items of every division chosen, or of a part of it.",
    )
    ispublished = forms.MultipleChoiceField(
        label="Status", required=False, choices=PublicationStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    refereed = forms.ChoiceField(
        label="Refereed", required=False, choices=[("", "Either"), ("yes", "Yes"), ("no", "No")]
    )
    order = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, subjects: Tree, divisions: Tree, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.subjects, self.divisions = subjects, divisions
        # Callables: the trees are read only when a value is checked or the options are shown.
        self.fields["subject"].choices = subjects.choices
        self.fields["division"].choices = divisions.choices

    def clean_order(self) -> str:
        """An order we do not know is left to the default rather than refused."""
        order = self.cleaned_data["order"]
        return order if order in ORDERS else ""

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None and start > end:
            raise ValidationError("The first year of the range is after the last.", code="year_range")
        return data

    def ignored_fields(self) -> list[str]:
        """Fields with text but nothing to search for (only OR, or only exclusions), as named to readers."""
        data = self.cleaned_data
        ignored = [name for name in TEXT_FIELDS if data[name] and not parse(data[name])]
        return ["what you typed" if name == "q" else str(self.fields[name].label) for name in ignored]

    def criteria(self) -> Criteria:
        """What was asked for; text without anything to search for ("OR -") is left out."""
        data = self.cleaned_data
        return Criteria(
            texts={name: data[name] for name in TEXT_FIELDS if parse(data[name])},
            types=tuple(data["type"]),
            years=tuple(data["year"]),
            year_from=data["year_from"],
            year_to=data["year_to"],
            subjects=tuple(self.subjects.nodes[code].lineage for code in data["subject"]),
            divisions=tuple(self.divisions.nodes[code].lineage for code in data["division"]),
            statuses=tuple(data["ispublished"]),
            refereed=REFEREED.get(data["refereed"]),
        )
