"""Starting categories for offers and requests; coordinators can add more in the admin."""

from django.db import migrations

CATEGORIES = [
    ("befriending", "Befriending and company"),
    ("cooking", "Cooking and meals"),
    ("digital", "Computers and phones"),
    ("diy", "DIY and repairs"),
    ("gardening", "Gardening"),
    ("learning", "Learning and teaching"),
    ("lifts", "Lifts and transport"),
    ("admin", "Forms, letters and admin"),
    ("shopping", "Shopping and errands"),
    ("wellbeing", "Wellbeing and exercise"),
    ("arts", "Arts, crafts and music"),
    ("language", "Languages and translation"),
    ("care", "Caring and childcare"),
    ("community", "Community and events"),
    ("other", "Something else"),
]


def add(apps, schema_editor):
    Category = apps.get_model("timebank", "Category")
    for slug, name in CATEGORIES:
        Category.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("timebank", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
