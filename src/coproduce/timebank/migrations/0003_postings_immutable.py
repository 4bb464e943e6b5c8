"""Postings are facts: the database itself refuses to change them (and, on PostgreSQL, to delete them).

The model already refuses save/delete on an existing posting, but raw SQL, a shell or another program
would not go through the model. On SQLite only UPDATE is refused: Django's test runner empties tables
with DELETE between tests (PostgreSQL uses TRUNCATE, which row triggers do not see).
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION timebank_posting_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger postings are never changed or deleted; record a reversing transfer instead'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER timebank_posting_immutable BEFORE UPDATE OR DELETE ON timebank_posting
    FOR EACH ROW EXECUTE FUNCTION timebank_posting_immutable();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS timebank_posting_immutable ON timebank_posting;
DROP FUNCTION IF EXISTS timebank_posting_immutable();
"""
SQLITE_UP = """
CREATE TRIGGER timebank_posting_immutable BEFORE UPDATE ON timebank_posting
BEGIN
    SELECT RAISE(ABORT, 'ledger postings are never changed; record a reversing transfer instead');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS timebank_posting_immutable;"


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("timebank", "0002_categories")]
    operations = [migrations.RunPython(up, down)]
