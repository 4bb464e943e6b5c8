"""The hub's first categories, the ones co-production networks' members' sites use; admins change them."""

from django.db import migrations

SEED = [
    ("General Chat", "general-chat", "Anything about co-production that does not fit elsewhere."),
    ("Tools & Methods", "tools-methods", "Ways of working together: what you used and how it went."),
    ("Evaluation & Measuring Impact", "evaluation-impact", "Showing what changed, and how you know."),
    ("Health & Social Care", "health-social-care", "Co-production in health, care and support."),
    ("Housing", "housing", "Homes, tenants and communities shaping housing services."),
    ("Community", "community", "Local groups, places and community action."),
]


def seed(apps, schema_editor):
    Category = apps.get_model("hub", "Category")
    for position, (name, slug, description) in enumerate(SEED, start=1):
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position * 10}
        )


def unseed(apps, schema_editor):
    Category = apps.get_model("hub", "Category")
    Category.objects.filter(slug__in=[slug for _, slug, _ in SEED], posts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("hub", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
