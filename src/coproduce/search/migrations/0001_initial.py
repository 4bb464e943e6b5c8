"""The index table, then its full-text part for the database in use (see models.py)."""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_document_fts USING fts5(
        title, body, content='search_document', content_rowid='id', tokenize='porter unicode61'
    )""",
    """CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
        INSERT INTO search_document_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
        INSERT INTO search_document_fts(search_document_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER search_document_au AFTER UPDATE OF title, body ON search_document BEGIN
        INSERT INTO search_document_fts(search_document_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_document_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TABLE IF EXISTS search_document_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE search_document ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')
    ) STORED""",
    "CREATE INDEX search_document_vector ON search_document USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [("spaces", "0006_entry_dispute")]

    operations = [
        migrations.CreateModel(
            name="Document",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=60)),
                ("object_id", models.BigIntegerField()),
                ("title", models.CharField(max_length=300)),
                ("body", models.TextField(blank=True)),
                ("url", models.CharField(max_length=500)),
                ("public", models.BooleanField(default=True)),
                ("when", models.DateTimeField(blank=True, null=True)),
                ("place", models.CharField(blank=True, max_length=120)),
                ("stages", models.CharField(blank=True, max_length=200)),
                ("indexed_at", models.DateTimeField(auto_now=True)),
                (
                    "space",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="spaces.space",
                    ),
                ),
            ],
            options={
                "db_table": "search_document",
                "indexes": [models.Index(fields=["when"], name="search_document_when")],
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "object_id"), name="search_document_once"),
                    models.CheckConstraint(
                        condition=models.Q(("kind", ""), _negated=True), name="search_document_has_kind"
                    ),
                ],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        ),
    ]
