from django.db import migrations


def create_kinds(apps, schema_editor):
    from community.interventions.kinds import create_default_kinds

    create_default_kinds(apps.get_model("community", "InterventionKind"))


class Migration(migrations.Migration):
    dependencies = [("community", "0006_interventions_and_report_comments")]

    operations = [migrations.RunPython(create_kinds, migrations.RunPython.noop)]
