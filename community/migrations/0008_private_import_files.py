"""Imported spreadsheets move to the private storage under random names; files already on
disk under MEDIA_ROOT (imports, and Wagtail documents, which the default storage now keeps in
the private storage too) are moved there, so none stays where the proxy serves /media/."""

from pathlib import Path

from django.db import migrations, models

import community.models.imports
import community.storage


def move_to_private(apps, schema_editor):
    from django.conf import settings
    from django.core.files import File

    public_root = Path(settings.MEDIA_ROOT)
    private = community.storage.private_storage()
    names = list(
        apps.get_model("community", "ImportJob").objects.exclude(file="").values_list(
            "file", flat=True
        )
    )
    names += list(apps.get_model("wagtaildocs", "Document").objects.values_list("file", flat=True))
    for name in names:
        source = public_root / name
        if source.is_file() and not private.exists(name):
            with source.open("rb") as handle:
                private.save(name, File(handle))
            source.unlink()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0007_default_intervention_kinds"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importjob",
            name="file",
            field=models.FileField(
                blank=True,
                storage=community.storage.private_storage,
                upload_to=community.models.imports.import_file_name,
                verbose_name="fichier",
            ),
        ),
        migrations.RunPython(move_to_private, migrations.RunPython.noop),
    ]
