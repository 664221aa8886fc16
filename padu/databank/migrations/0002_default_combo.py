from django.db import migrations


def create_default(apps, schema_editor):
    CategoryCombo = apps.get_model("databank", "CategoryCombo")
    OptionCombo = apps.get_model("databank", "OptionCombo")
    combo, _ = CategoryCombo.objects.get_or_create(
        agency=None, code="default", defaults={"name": "Tanpa disagregasi"}
    )
    OptionCombo.objects.get_or_create(combo=combo, code="default", defaults={"name": "Total"})


class Migration(migrations.Migration):
    dependencies = [("databank", "0001_initial")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
