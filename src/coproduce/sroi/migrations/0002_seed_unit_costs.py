"""The unit costs the network starts with. Network admins keep them up to date on the unit costs page;
check each figure against its source before publishing an analysis (see the report of this change)."""

from decimal import Decimal

from django.db import migrations

GMCA = "Greater Manchester Combined Authority, Unit Cost Database (figure as set for this network: check it against the current edition)"
UNIT_COSTS = [
    ("A&E attendance", "attendance", "109.00", GMCA, "2019/20"),
    ("Mental health inpatient bed day", "bed day", "429.00", GMCA, "2019/20"),
    ("Community mental health team contact", "contact", "156.00", GMCA, "2019/20"),
    ("Ambulance call-out", "call-out", "216.00", GMCA, "2019/20"),
    ("Hospital outpatient appointment", "appointment", "111.00", GMCA, "2019/20"),
    (
        "GP appointment",
        "appointment of about 10 minutes",
        "49.00",
        "PSSRU, Unit Costs of Health and Social Care 2023 (Jones et al., 2024): GP surgery consultation",
        "2022/23",
    ),
]


def seed(apps, schema_editor):
    UnitCost = apps.get_model("sroi", "UnitCost")
    for name, unit, value, source, price_year in UNIT_COSTS:
        UnitCost.objects.get_or_create(
            name=name,
            defaults={"unit": unit, "value": Decimal(value), "source": source, "price_year": price_year},
        )


def unseed(apps, schema_editor):
    UnitCost = apps.get_model("sroi", "UnitCost")
    UnitCost.objects.filter(name__in=[row[0] for row in UNIT_COSTS], outcomes__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("sroi", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
