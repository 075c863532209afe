"""manage.py import_subjects: EPrints' subjects file into the subject or division tree."""

import pytest
from django.core.management import CommandError

from eprints_app.models import Division, Subject
from tests.import_support import run

pytestmark = pytest.mark.django_db

SUBJECTS = """# EPrints' subjects file: code:name:parents:depositable
subjects:Subjects:ROOT:0
H:H Social Sciences:subjects:0
HG:HG Finance: banking and credit:H,J:1
J:J Political Science:subjects:0
JZ:JZ International relations:J:1

divisions:Divisions:ROOT:0
fac_soc:Faculty of Social Sciences:divisions:0
dept_ir:International Relations:fac_soc:1
"""


@pytest.fixture
def subjects_file(tmp_path):
    path = tmp_path / "subjects"
    path.write_text(SUBJECTS, encoding="utf-8")
    return path


def test_the_subject_tree_is_loaded_under_its_roots_children(subjects_file):
    out, _ = run("import_subjects", str(subjects_file))
    assert out == (
        "Loaded the subjects tree into subjects: 4 created, 0 updated, 0 unchanged.\n"
        "  line 4: HG is kept under H only, not also under J.\n"
    )
    assert [(s.code, s.parent_id, s.path, s.lineage) for s in Subject.objects.all()] == [
        ("H", None, "H Social Sciences", "H"),
        ("HG", "H", "H Social Sciences > HG Finance: banking and credit", "H:HG"),
        ("J", None, "J Political Science", "J"),
        ("JZ", "J", "J Political Science > JZ International relations", "J:JZ"),
    ]
    assert not Division.objects.exists()


def test_divisions_come_from_the_divisions_tree(subjects_file):
    out, _ = run("import_subjects", str(subjects_file), "--divisions")
    assert out == "Loaded the divisions tree into divisions: 2 created, 0 updated, 0 unchanged.\n"
    assert [d.path for d in Division.objects.all()] == [
        "Faculty of Social Sciences",
        "Faculty of Social Sciences > International Relations",
    ]


def test_a_rerun_updates_names_and_parents_and_duplicates_nothing(subjects_file):
    run("import_subjects", str(subjects_file))
    subjects_file.write_text(
        SUBJECTS.replace("JZ:JZ International relations:J:1", "JZ:JZ International relations (renamed):H:1")
    )
    out, _ = run("import_subjects", str(subjects_file))
    assert out.splitlines()[0] == "Loaded the subjects tree into subjects: 0 created, 1 updated, 3 unchanged."
    assert Subject.objects.get(code="JZ").path == "H Social Sciences > JZ International relations (renamed)"
    assert Subject.objects.count() == 4


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("JZ International relations", r"line 6: expected code:name:parents:depositable"),
        ("J/Z:JZ International relations:J:1", r"line 6: the code 'J/Z' cannot be used"),
        ("JZ:JZ International relations:Q:1", r"line 6: the parent 'Q' of JZ is not in the file"),
        ("JZ:JZ International relations::1", r"line 6: JZ has no parent"),
        ("H:Again:subjects:1", r"line 6: H is given twice \(first at line 3\)"),
        ("JZ:JZ International relations:JZ:1", r"line 6: JZ is under itself"),
    ],
)
def test_a_bad_line_stops_with_its_number_and_loads_nothing(subjects_file, line, message):
    subjects_file.write_text(SUBJECTS.replace("JZ:JZ International relations:J:1", line))
    with pytest.raises(CommandError, match=rf"subjects {message}.*Nothing was loaded\."):
        run("import_subjects", str(subjects_file))
    assert not Subject.objects.exists()


def test_a_file_without_the_tree_asked_for_names_the_trees_it_has(subjects_file):
    with pytest.raises(
        CommandError, match=r"has no tree 'library' under ROOT; its trees: divisions, subjects\."
    ):
        run("import_subjects", str(subjects_file), "--root", "library")
