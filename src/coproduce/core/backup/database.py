"""The database part of a backup, three ways:

- `sqlite`: SQLite's online backup API copies every page in one step, inside one read transaction, so the copy is
  consistent even while the server writes (WAL lets it carry on meanwhile).
- `pg_dump`: `pg_dump --format=custom --snapshot=...` reads the snapshot of our own REPEATABLE READ transaction, in
  which the manifest's row counts are taken too, so the counts describe exactly what was dumped.
- `json`: every model's table as JSON lines, read in one transaction (REPEATABLE READ on PostgreSQL, a read
  transaction on SQLite) with server-side cursors, so memory stays bounded. Portable: a SQLite backup taken this
  way restores into PostgreSQL and back. Used on PostgreSQL when pg_dump is absent or older than the server.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import gzip
import json
import os
import re
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils.duration import duration_iso_string

from coproduce.core.backup.archive import CHUNK, BackupError, Snapshot

# Rows a freshly migrated database already holds: they do not make it "hold data" for `restore`.
SEEDED_BY_MIGRATIONS = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "sroi_unitcost",
        "timebank_category",
        "hub_category",
    }
)


# Tables the database builds from others: the search's full-text index on SQLite (FTS5 and its shadow tables,
# kept in step by triggers). They hold structure rows even when empty, and a JSON restore rebuilds them from
# `search_document`, so they are neither data that blocks a restore nor compared row by row.
DERIVED_PREFIXES = ("search_document_fts",)


def is_derived(table: str) -> bool:
    return table.startswith(DERIVED_PREFIXES)


def choose_method(method: str) -> str:
    vendor = connection.vendor
    if method == "auto":
        if vendor == "sqlite":
            return "sqlite"
        if vendor == "postgresql":
            return "pg_dump" if pg_dump_problem() is None else "json"
        return "json"
    if method == "native":
        if vendor == "sqlite":
            return "sqlite"
        if vendor == "postgresql":
            problem = pg_dump_problem()
            if problem:
                raise BackupError(problem)
            return "pg_dump"
        raise BackupError(f"There is no native backup for {vendor}: use --method json.")
    if method == "json":
        return "json"
    raise BackupError(f"Unknown method {method!r}: use auto, native or json.")


def pg_dump_problem() -> str | None:
    """Why pg_dump cannot dump this server, or None. pg_dump refuses a server newer than itself."""
    tool_major = client_major("pg_dump")
    if tool_major is None:
        return "pg_dump is not installed (or not on PATH)."
    connection.ensure_connection()
    server_major = connection.pg_version // 10000  # type: ignore[attr-defined]
    if tool_major < server_major:
        return f"pg_dump {tool_major} cannot dump a PostgreSQL {server_major} server: install pg_dump {server_major}."
    return None


def client_major(tool: str) -> int | None:
    path = shutil.which(tool)
    if path is None:
        return None
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout  # noqa: S603 - a tool found on PATH, fixed arguments
    found = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(found.group(1)) if found else None


def snapshot_sqlite(staging: Path) -> Snapshot:
    copy = staging / "database.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(copy) as destination:
        # pages=-1 (the default): every page in one step, so one read transaction, so one consistent state.
        connection.connection.backup(destination)
        # One self-contained file: no -wal beside it.
        destination.execute("PRAGMA journal_mode=DELETE")
    with sqlite3.connect(copy) as copied:
        tables = sqlite_row_counts(copied)
        migrations = sqlite_migrations(copied)
    copied.close()
    destination.close()
    packed = staging / "database.sqlite3.gz"
    with open(copy, "rb") as source, gzip.open(packed, "wb", compresslevel=6) as sink:
        shutil.copyfileobj(source, sink, CHUNK)
    copy.unlink()
    return Snapshot(
        "sqlite", packed.name, packed, tables, migrations, {"sqlite_version": sqlite3.sqlite_version}
    )


def sqlite_row_counts(db: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608 - names from sqlite_master


def sqlite_migrations(db: sqlite3.Connection) -> dict[str, list[str]]:
    try:
        rows = db.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
    except sqlite3.OperationalError:
        return {}
    return _group_migrations(rows)


def _group_migrations(rows) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for app, name in rows:
        grouped.setdefault(app, []).append(name)
    return grouped


def live_migrations() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return {}
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return _group_migrations(cursor.fetchall())


def live_row_counts(tables: list[str] | None = None) -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor)) if tables is None else tables
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")  # noqa: S608 - names from introspection
            counts[name] = cursor.fetchone()[0]
    return counts


def snapshot_pg_dump(staging: Path) -> Snapshot:
    dump = staging / "database.pgdump"
    args, env = pg_client_args("pg_dump")
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Must be the transaction's first statement. pg_dump then reads the snapshot we export, so the
            # row counts below and the dump describe the same instant.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
        tables = live_row_counts()
        migrations = live_migrations()
        result = subprocess.run(  # noqa: S603 - pg_dump with this connection's own settings
            [*args, "--format=custom", f"--snapshot={snapshot_id}", f"--file={dump}"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    details = {
        "server_version": connection.pg_version,  # type: ignore[attr-defined]
        "pg_dump_major": client_major("pg_dump"),
    }
    return Snapshot("pg_dump", dump.name, dump, tables, migrations, details)


def pg_client_args(tool: str) -> tuple[list[str], dict[str, str]]:
    """The tool's connection arguments and environment (password, SSL) from this connection's settings, so that
    it reaches the same database Django uses (in tests, the test database)."""
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} is not installed (or not on PATH).")
    psql_args, extra_env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
    env = {**os.environ, **(extra_env or {})}
    # psql_args is ["psql", "-U", user, "-h", host, "-p", port, dbname]: keep the options, name the database.
    options, dbname = psql_args[1:-1], psql_args[-1]
    return [path, *options, f"--dbname={dbname}"], env


# JSON dump: one header line per table, then its rows as lists of values in the header's column order.


def dumped_models() -> list[type[models.Model]]:
    seen: set[str] = set()
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.swapped or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        found.append(model)
    return sorted(found, key=lambda model: model._meta.db_table)


def stored_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()  # full precision: DjangoJSONEncoder would drop microseconds
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"Cannot write {type(value).__name__} to a backup")


def snapshot_json(staging: Path) -> Snapshot:
    path = staging / "database.jsonl.gz"
    tables: dict[str, int] = {}
    with _read_transaction(), gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as sink:
        migrations = live_migrations()
        for model in dumped_models():
            fields = stored_fields(model)
            columns = [f.attname for f in fields]
            header = {"table": model._meta.db_table, "model": model._meta.label_lower, "columns": columns}
            sink.write(json.dumps(header) + "\n")
            count = 0
            rows = model._base_manager.order_by("pk").values_list(*columns).iterator(chunk_size=2000)
            for row in rows:
                sink.write(json.dumps(row, default=_encode, ensure_ascii=False) + "\n")
                count += 1
            tables[model._meta.db_table] = count
    return Snapshot("json", path.name, path, tables, migrations, {"source_vendor": connection.vendor})


@contextlib.contextmanager
def _read_transaction() -> Iterator[None]:
    """One consistent read of the whole database that blocks no writer."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # Not Django's atomic: on SQLite it begins IMMEDIATE, which would hold the write lock for the whole dump.
    # A deferred transaction keeps one WAL snapshot from its first read.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")


def data_rows() -> tuple[int, int]:
    """(rows, tables holding them) outside what a fresh migration creates."""
    counts = live_row_counts()
    held = {
        name: n
        for name, n in counts.items()
        if n and name not in SEEDED_BY_MIGRATIONS and not is_derived(name)
    }
    return sum(held.values()), len(held)


def restore_sqlite(packed: Path, manifest: dict[str, Any]) -> None:
    if connection.vendor != "sqlite":
        raise BackupError(
            f"This backup was taken from SQLite with the SQLite backup API; this database is {connection.vendor}. "
            "Take the backup again with --method json to move between databases."
        )
    plain = packed.with_suffix("")
    with gzip.open(packed, "rb") as source, open(plain, "wb") as sink:
        shutil.copyfileobj(source, sink, CHUNK)
    connection.close()
    connection.ensure_connection()
    with sqlite3.connect(plain) as source_db:
        # Replaces every page of the live database in one step, under its write lock: readers see the old or
        # the new database, never a mixture.
        source_db.backup(connection.connection)
    source_db.close()
    connection.close()  # the next query reconnects and sets WAL again (settings' init_command)


def restore_pg_dump(dump: Path, manifest: dict[str, Any]) -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            f"This backup was taken from PostgreSQL with pg_dump; this database is {connection.vendor}. "
            "Take the backup again with --method json to move between databases."
        )
    needed = manifest["database"].get("pg_dump_major") or 0
    have = client_major("pg_restore")
    if have is None:
        raise BackupError(
            "pg_restore is not installed (or not on PATH); it is needed to restore this backup."
        )
    if have < needed:
        raise BackupError(
            f"This backup was written by pg_dump {needed}: restoring it needs pg_restore {needed}."
        )
    args, env = pg_client_args("pg_restore")
    connection.close()  # no session of ours holds a lock on the tables pg_restore drops
    result = subprocess.run(  # noqa: S603 - pg_restore with this connection's own settings
        [*args, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", str(dump)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing was changed: {result.stderr.strip()}")


def restore_json(packed: Path, manifest: dict[str, Any]) -> None:
    from django.core.management import call_command

    if not live_migrations():
        call_command("migrate", interactive=False, verbosity=0)
    wanted, have = manifest.get("migrations", {}), live_migrations()
    if wanted != have:
        differing = sorted(
            f"{app} ({', '.join(sorted(set(wanted.get(app, [])) ^ set(have.get(app, []))))})"
            for app in set(wanted) | set(have)
            if set(wanted.get(app, [])) != set(have.get(app, []))
        )
        raise BackupError(
            "This backup and this database are at different migrations: "
            + "; ".join(differing[:5])
            + ". Restore with the version of coproduce that took the backup, into a database migrated by it."
        )
    by_table = {model._meta.db_table: model for model in dumped_models()}
    quote = connection.ops.quote_name
    with transaction.atomic():
        with connection.cursor() as cursor:
            present = set(connection.introspection.table_names(cursor)) & set(by_table)
            if connection.vendor == "postgresql":
                # TRUNCATE: the ledger's trigger refuses DELETE of postings, and it is one statement.
                if present:
                    cursor.execute(
                        f"TRUNCATE {', '.join(quote(t) for t in sorted(present))} RESTART IDENTITY CASCADE"
                    )
            else:
                for table in sorted(present):
                    cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - names from the models
        for model, fields, rows in _read_json(packed, by_table):
            _insert(model, fields, rows)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(by_table.values())):
                cursor.execute(statement)


def _read_json(packed: Path, by_table: dict[str, type[models.Model]]) -> Iterator[tuple[Any, list, Iterator]]:
    with gzip.open(packed, "rt", encoding="utf-8") as source:
        lines = iter(source)
        pending = None
        while True:
            line = pending if pending is not None else next(lines, None)
            pending = None
            if line is None:
                return
            header = json.loads(line)
            model = by_table.get(header["table"])
            if model is None:
                raise BackupError(
                    f"This backup holds table {header['table']}, which this version does not have."
                )
            by_attname = {f.attname: f for f in stored_fields(model)}
            missing = [c for c in header["columns"] if c not in by_attname]
            if missing:
                raise BackupError(f"This backup holds columns {', '.join(missing)} of {header['table']}.")
            fields = [by_attname[c] for c in header["columns"]]

            def rows() -> Iterator[list]:
                nonlocal pending
                for line in lines:
                    value = json.loads(line)
                    if isinstance(value, dict):
                        pending = line
                        return
                    yield value

            yield model, fields, rows()


def _insert(model: type[models.Model], fields: list[models.Field], rows: Iterator[list]) -> None:
    """Insert rows as they were: raw=True so that auto_now and defaults leave the values alone."""
    batch_size = max(1, 900 // max(1, len(fields)))
    attnames = [f.attname for f in fields]
    batch: list[Any] = []

    def flush() -> None:
        if batch:
            model._base_manager._insert(batch, fields=fields, raw=True)  # type: ignore[attr-defined]
            batch.clear()

    for row in rows:
        instance = model.__new__(model)
        for attname, field_, value in zip(attnames, fields, row, strict=True):
            instance.__dict__[attname] = None if value is None else field_.to_python(value)
        batch.append(instance)
        if len(batch) >= batch_size:
            flush()
    flush()


def _clear_caches() -> None:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def check_counts(manifest: dict[str, Any]) -> None:
    tables = manifest["tables"]
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
    counts = live_row_counts(sorted(t for t in tables if t in present))
    wrong = [
        f"{table}: {counts.get(table, 'missing')} instead of {expected}"
        for table, expected in sorted(tables.items())
        if counts.get(table) != expected
    ]
    if wrong:
        raise BackupError("Restored, but row counts differ from the backup's: " + "; ".join(wrong[:10]) + ".")
