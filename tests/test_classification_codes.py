"""Subject and division codes: a new one that would break an address (/view/subjects/CODE.html),
a lineage or OAI-PMH set name, or EPrints' subjects file is refused in the admin with a form
error; rows already stored with such codes (by a script or an older release) still render and
can still be edited."""

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse

from eprints_app.models import Division, Subject
from tests.factories import make_item

pytestmark = pytest.mark.django_db

TREES = {"subject": Subject, "division": Division}
REFUSED = [
    "A/B",
    "A:B",
    "A,B",
    "A B",
    "A?B",
    "A#B",
    "A%2FB",
    "A\\B",
    "..",
    ".A",
    "-A",
    "A\u202eB",
    "Économie",
    "<b>",
    "ROOT",
]
ODD_STORED = ["A/B", "A B", "A?B#C", "50%"]


def add_url(tree: str) -> str:
    return f"/admin/eprints_app/{tree}/add/"


@pytest.mark.parametrize("tree", TREES)
@pytest.mark.parametrize("code", REFUSED)
def test_admin_refuses_a_code_that_would_break_addresses_or_the_subjects_file(
    client, administrator, tree, code
):
    client.force_login(administrator)

    response = client.post(add_url(tree), {"code": code, "name": "Refused"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["code"]
    assert errors == [
        "A code may hold only the letters A to Z and a to z, digits, '-', '_' and '.', and starts with a "
        "letter or digit (ROOT is taken): it becomes part of addresses such as /view/subjects/CODE.html, "
        "of OAI-PMH set names and of EPrints' subjects file."
    ]
    assert not TREES[tree].objects.exists()


@pytest.mark.parametrize("tree", TREES)
@pytest.mark.parametrize("code", ["QA76.9", "LSE_Ideas", "H1-99", "J"])
def test_admin_saves_a_code_of_letters_digits_and_dots_dashes_underscores(client, administrator, tree, code):
    client.force_login(administrator)

    response = client.post(add_url(tree), {"code": code, "name": "Kept"})

    assert response.status_code == 302
    assert TREES[tree].objects.get().code == code


def test_admin_refuses_a_broken_code_for_a_child_too(client, administrator):
    Subject.objects.create(code="J", name="J Political Science")
    client.force_login(administrator)

    response = client.post(add_url("subject"), {"code": "J/Z", "name": "Refused", "parent": "J"})

    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors
    assert list(Subject.objects.values_list("code", flat=True)) == ["J"]


@pytest.mark.parametrize("tree", TREES)
def test_row_stored_with_an_odd_code_can_still_be_renamed_in_the_admin(client, administrator, tree):
    TREES[tree].objects.create(code="A/B", name="Old name")
    client.force_login(administrator)
    url = f"/admin/eprints_app/{tree}/{quote('A/B')}/change/"
    assert client.get(url).status_code == 200

    response = client.post(url, {"code": "A/B", "name": "New name"})

    assert response.status_code == 302
    assert TREES[tree].objects.get().name == "New name"


@pytest.mark.parametrize("code", ODD_STORED)
def test_item_tree_and_heading_pages_render_for_rows_stored_with_odd_codes(client, code):
    item = make_item(title="Classified oddly")
    item.subjects.add(Subject.objects.create(code=code, name=f"Subject {code}"))
    item.divisions.add(Division.objects.create(code=code, name=f"Division {code}"))

    assert client.get(item.get_absolute_url()).status_code == 200
    for tree in ("subjects", "divisions"):
        index = client.get(f"/view/{tree}/")
        assert index.status_code == 200
        page = client.get(reverse("browse_node", args=[tree, code]))
        assert page.status_code == 200, code
        assert "Classified oddly" in page.content.decode()


def test_heading_page_of_a_row_stored_with_a_colon_in_its_code_still_answers(client):
    """A colon is the lineages' separator, so such a heading lists nothing, but its pages answer."""
    item = make_item(title="Classified oddly")
    item.subjects.add(Subject.objects.create(code="A:B", name="Subject A:B"))

    assert client.get(item.get_absolute_url()).status_code == 200
    assert client.get("/view/subjects/").status_code == 200
    assert client.get(reverse("browse_node", args=["subjects", "A:B"])).status_code == 200
