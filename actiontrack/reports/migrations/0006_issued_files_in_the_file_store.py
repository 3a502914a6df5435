"""Issued reports' files move from the database to the file store (local folder, Azure or S3: FILE_STORAGE),
under random names; reversing brings them back. Each file is written before its row is changed, so a failure
part way leaves the database as it was (the migration is one transaction) and at most some unused files."""

import secrets

from django.db import migrations, models


def to_store(apps, schema_editor):
    from actiontrack.core import files

    IssuedFile = apps.get_model("reports", "IssuedFile")
    for stored in IssuedFile.objects.filter(stored_name="").iterator(chunk_size=20):
        name = secrets.token_hex(16)
        files.save_bytes(f"reports/{name}", bytes(stored.content))
        stored.stored_name = name
        stored.save(update_fields=["stored_name"])


def to_database(apps, schema_editor):
    from actiontrack.core import files

    IssuedFile = apps.get_model("reports", "IssuedFile")
    for stored in IssuedFile.objects.iterator(chunk_size=20):
        stored.content = files.read_bytes(f"reports/{stored.stored_name}")
        stored.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_exempt_sections")]

    operations = [
        migrations.AddField(model_name="issuedfile", name="stored_name",
                            field=models.CharField(default="", max_length=100), preserve_default=False),
        migrations.AlterField(model_name="issuedfile", name="content", field=models.BinaryField(null=True)),
        migrations.RunPython(to_store, to_database),
        migrations.RemoveField(model_name="issuedfile", name="content"),
    ]
