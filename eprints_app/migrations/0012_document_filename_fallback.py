"""Documents stored without a file name (made by a script) take their stored file's name,
which download URLs need."""

import posixpath

from django.db import migrations


def name_documents(apps, schema_editor):
    Document = apps.get_model("eprints_app", "Document")
    for document in Document.objects.filter(filename="").exclude(file="").only("pk", "file"):
        name = posixpath.basename(document.file.name)
        if name:
            Document.objects.filter(pk=document.pk).update(filename=name)


class Migration(migrations.Migration):
    dependencies = [("eprints_app", "0011_search_biwords")]

    operations = [migrations.RunPython(name_documents, migrations.RunPython.noop)]
