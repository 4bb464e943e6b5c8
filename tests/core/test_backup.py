"""`coproduce backup` and `coproduce restore` on the database the suite runs on (SQLite, then PostgreSQL).

A round trip loses nothing: every table's row count and a hash of its content, read in primary-key order, are the
same after a restore as at the backup, and the uploads come back byte for byte. A damaged, truncated or foreign file
is refused before anything changes, and so is a database that holds data, unless --force is given.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from tests.conftest import make_person
from tests.home_data import fill

from coproduce.cli import main as coproduce
from coproduce.core import backup
from coproduce.core.backup import database
from coproduce.ideas.models import Idea
from coproduce.people.models import User

pytestmark = pytest.mark.django_db(transaction=True)

METHODS = ["native", "json"]


def table_digests() -> dict[str, tuple[int, str]]:
    """Every table's (row count, SHA-256 of its rows in primary-key order)."""
    quote = connection.ops.quote_name
    digests = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if database.is_derived(
                table
            ):  # the search's FTS5 index, rebuilt from search_document (see the module)
                continue
            order = connection.introspection.get_primary_key_columns(cursor, table)
            if not order:
                description = connection.introspection.get_table_description(cursor, table)
                order = [column.name for column in description]
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {', '.join(quote(c) for c in order)}")
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)).encode())
                count += 1
            digests[table] = (count, digest.hexdigest())
    return digests


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    (root / "budgets" / "projects").mkdir(parents=True)
    (root / "budgets" / "projects" / "playground.png").write_bytes(bytes(range(256)) * 40)
    (root / "notes.txt").write_text("Minutes of the meeting, with a £ sign.\n", encoding="utf-8")
    return root


@pytest.fixture
def filled(media):
    host = make_person("Hana Host")
    fill(host, 2)  # spaces, members, budgets with projects, meetings, actions, ideas, comments, the timebank
    return host


def run(*argv: str, capsys) -> tuple[int, str, str]:
    """The command as typed: `coproduce restore FILE` (exit code, stdout, stderr)."""
    capsys.readouterr()
    try:
        coproduce(["coproduce", *argv])
        code = 0
    except SystemExit as leaving:
        code = leaving.code if isinstance(leaving.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("method", METHODS)
def test_round_trip_loses_nothing(filled, media, tmp_path, method, capsys):
    before = table_digests()
    uploads = media_files(media)
    assert sum(count for count, _ in before.values()) > 200
    assert before["ideas_idea"][0] == 2 and before["budgets_project"][0] == 4
    target = tmp_path / "coproduce.tar"

    code, out, _ = run("backup", "--method", method, str(target), capsys=capsys)
    assert code == 0
    assert "Backed up" in out and "2 uploads" in out

    # Change everything a restore must put back: rows added, changed and removed, uploads replaced.
    make_person("Someone New")
    Idea.objects.update(title="Changed")
    Idea.objects.filter(pk=Idea.objects.order_by("pk").first().pk).delete()
    (media / "notes.txt").unlink()
    (media / "stray.txt").write_text("not in the backup")
    altered = table_digests()
    assert altered != before

    code, _, err = run("restore", str(target), capsys=capsys)
    assert code == backup.EXIT_NOT_EMPTY == 3
    assert "The database already holds" in err and "run again with --force if you mean it" in err
    assert table_digests() == altered  # refused: nothing changed

    code, out, _ = run("restore", "--force", str(target), capsys=capsys)
    assert code == 0, out
    assert "row counts checked" in out
    after = table_digests()
    assert after == before
    assert media_files(media) == uploads
    assert Idea.objects.count() == 2 and not Idea.objects.filter(title="Changed").exists()


@pytest.mark.parametrize("method", METHODS)
def test_restore_into_an_emptied_database_needs_no_force(filled, media, tmp_path, method):
    before = table_digests()
    target = tmp_path / "coproduce.tar"
    call_command("backup", str(target), method=method)
    call_command("flush", interactive=False, verbosity=0)
    assert User.objects.count() == 0
    call_command("restore", str(target))
    assert table_digests() == before


def test_the_manifest_describes_the_backup(filled, media, tmp_path):
    counts = backup.live_row_counts()
    target = tmp_path / "coproduce.tar"
    call_command("backup", str(target))
    manifest = backup.verify(target)
    assert manifest["format"] == "coproduce-backup" and manifest["format_version"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["method"] == ("sqlite" if connection.vendor == "sqlite" else "pg_dump")
    assert manifest["tables"] == counts
    assert "0001_initial" in manifest["migrations"]["ideas"]
    assert manifest["created_at"]
    with tarfile.open(target) as archive:
        names = archive.getnames()
        assert names[-1] == "manifest.json"
        for name in names[:-1]:
            data = archive.extractfile(name).read()
            assert hashlib.sha256(data).hexdigest() == manifest["members"][name]["sha256"]
    assert "media/budgets/projects/playground.png" in manifest["members"]


def test_backup_never_leaves_a_half_written_file(media, tmp_path, monkeypatch):
    def fail(out, snapshot):
        out.write(b"half a backup")
        raise OSError("No space left on device")

    monkeypatch.setattr(backup, "write_archive", fail)
    target = tmp_path / "coproduce.tar"
    with pytest.raises(OSError):
        call_command("backup", str(target))
    assert list(tmp_path.glob("*coproduce.tar*")) == []


def test_backup_does_not_overwrite_without_force(media, tmp_path, capsys):
    target = tmp_path / "coproduce.tar"
    target.write_text("an older backup")
    code, _, err = run("backup", str(target), capsys=capsys)
    assert code == 1 and "already exists" in err
    assert target.read_text() == "an older backup"
    assert run("backup", "--force", str(target), capsys=capsys)[0] == 0
    backup.verify(target)


@pytest.fixture
def good_backup(media, tmp_path) -> Path:
    make_person("Hana Host")
    target = tmp_path / "coproduce.tar"
    call_command("backup", str(target))
    make_person("Someone New")  # the database differs from the backup, so a restore would show
    return target


def flipped(source: Path, offset: int) -> Path:
    data = bytearray(source.read_bytes())
    data[offset] ^= 0x01
    damaged = source.with_name(f"flipped-{offset}.tar")
    damaged.write_bytes(bytes(data))
    return damaged


def member_offset(path: Path, name: str) -> int:
    with tarfile.open(path) as archive:
        member = archive.getmember(name)
        return member.offset_data + member.size // 2


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("database", "database.sqlite3.gz does not match its checksum"),
        ("manifest", "is damaged"),
        ("header", "is damaged"),
        ("trailer", "its checksum does not match its content"),
    ],
)
def test_a_flipped_byte_is_refused_and_nothing_changes(good_backup, capsys, where, message):
    size = good_backup.stat().st_size
    manifest = backup.verify(good_backup)
    member = manifest["database"]["member"]
    offset = {
        "database": lambda: member_offset(good_backup, member),
        "manifest": lambda: member_offset(good_backup, "manifest.json"),
        "header": lambda: 10,  # the first member's name, in the tar header
        "trailer": lambda: size - 10,  # the whole-file checksum itself
    }[where]()
    before = table_digests()
    code, _, err = run("restore", "--force", str(flipped(good_backup, offset)), capsys=capsys)
    assert code == backup.EXIT_BAD_FILE == 2
    assert message.replace("database.sqlite3.gz", member) in err
    assert table_digests() == before


@pytest.mark.parametrize("keep", [0.5, 0.99])
def test_a_truncated_file_is_refused(good_backup, capsys, keep):
    data = good_backup.read_bytes()
    cut = good_backup.with_name("cut.tar")
    cut.write_bytes(data[: int(len(data) * keep)])
    before = table_digests()
    code, _, err = run("restore", "--force", str(cut), capsys=capsys)
    assert code == 2
    assert "is incomplete" in err and "cut short" in err
    assert table_digests() == before


def test_a_file_that_is_not_a_backup_is_refused(media, tmp_path, capsys):
    make_person("Hana Host")
    before = table_digests()
    for name, content in [
        ("notes.txt", b"Shopping list\n"),
        ("empty.tar", b""),
        ("other.tar", None),
    ]:
        path = tmp_path / name
        if content is None:
            with tarfile.open(path, "w") as archive:
                archive.add(__file__, arcname="test_backup.py")
        else:
            path.write_bytes(content)
        code, _, err = run("restore", "--force", str(path), capsys=capsys)
        assert code == 2, name
        assert "is not a coproduce backup" in err, name
    code, _, err = run("restore", str(tmp_path / "missing.tar"), capsys=capsys)
    assert code == 2 and "does not exist" in err
    assert table_digests() == before


def test_a_backup_from_another_format_version_is_refused(good_backup, tmp_path, capsys):
    """A forged manifest with its checksums redone: still refused, with the reason."""
    with tarfile.open(good_backup) as archive:
        members = [(m, archive.extractfile(m).read()) for m in archive.getmembers()]
    manifest = json.loads(members[-1][1])
    manifest["format_version"] = 99
    forged = tmp_path / "forged.tar"
    with open(forged, "w+b") as out:
        with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as archive:
            for member, data in members[:-1]:
                archive.addfile(member, io.BytesIO(data))
            data = json.dumps(manifest).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        out.seek(0)
        digest = hashlib.sha256(out.read()).hexdigest()
        out.write(backup.TRAILER_PREFIX + digest.encode() + b"\n")
    code, _, err = run("restore", "--force", str(forged), capsys=capsys)
    assert code == 2 and "format 99" in err


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's")
def test_postgresql_without_a_usable_pg_dump_writes_json(filled, tmp_path, monkeypatch):
    monkeypatch.setattr(database, "client_major", lambda tool: 9)  # older than any server we support
    assert database.choose_method("auto") == "json"
    with pytest.raises(backup.BackupError, match="pg_dump 9 cannot dump a PostgreSQL"):
        database.choose_method("native")
    monkeypatch.setattr(database, "client_major", lambda tool: None)
    assert "not installed" in database.pg_dump_problem()
    target = tmp_path / "coproduce.tar"
    call_command("backup", str(target))
    assert backup.verify(target)["database"]["method"] == "json"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite online backup API")
def test_sqlite_backup_is_consistent_while_another_process_writes(tmp_path):
    """`coproduce backup` in its own process, on a WAL database file that another connection writes to all the
    while, each transaction adding one row to two tables: the snapshot holds whole transactions only."""
    var = tmp_path / "var"
    var.mkdir()
    live = var / "coproduce.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(live) as copy:
        connection.connection.backup(copy)  # the migrated test database, as a file
        copy.execute("PRAGMA journal_mode=WAL")
    copy.close()

    stop = threading.Event()
    written = []

    def write() -> None:
        db = sqlite3.connect(live, isolation_level=None, timeout=30)
        db.execute("PRAGMA busy_timeout=30000")
        i = 0
        while not stop.is_set():
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, '', ?)",
                (f"key{i:036d}", "2030-01-01 00:00:00"),
            )
            db.execute("INSERT INTO django_content_type (app_label, model) VALUES ('load', ?)", (f"m{i}",))
            db.execute("COMMIT")
            i += 1
            written.append(i)
        db.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        env = {k: v for k, v in os.environ.items() if k != "COPRODUCE_DATABASE_URL"}
        env.update(COPRODUCE_VAR_DIR=str(var), PYTHONPATH=os.pathsep.join(sys.path))
        target = tmp_path / "coproduce.tar"
        result = subprocess.run(
            [sys.executable, "-m", "coproduce.cli", "backup", str(target)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        during = len(written)
    finally:
        stop.set()
        writer.join()
    assert result.returncode == 0, result.stderr
    manifest = backup.verify(target)
    sessions = manifest["tables"]["django_session"]
    assert sessions == manifest["tables"]["django_content_type"] - ContentType.objects.count()
    assert 0 < sessions <= during < len(written)  # taken while the writer was writing, before and after
    with tarfile.open(target) as archive:
        packed = archive.extractfile("database.sqlite3.gz").read()
    (tmp_path / "copy.sqlite3").write_bytes(gzip.decompress(packed))
    copied = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copied.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copied.execute("SELECT COUNT(*) FROM django_session").fetchone()[0] == sessions
    copied.close()


CROSS_VENDOR_URL = os.environ.get("COPRODUCE_TEST_CROSS_VENDOR_URL", "")


@pytest.mark.skipif(
    connection.vendor != "sqlite" or not CROSS_VENDOR_URL.rstrip("/").endswith("_crossvendor"),
    reason="opt in: COPRODUCE_TEST_CROSS_VENDOR_URL=postgres://.../<name>_crossvendor (dropped and made again); "
    "it migrates a PostgreSQL database, which takes minutes",
)
def test_a_json_backup_of_sqlite_restores_into_postgresql(filled, tmp_path):
    """The SQLite test database, backed up with --method json, restored by `coproduce restore` into an empty
    PostgreSQL database (which it migrates first), then backed up again there: every row is the same."""
    target = tmp_path / "from-sqlite.tar"
    call_command("backup", str(target), method="json")
    name = CROSS_VENDOR_URL.rstrip("/").rsplit("/", 1)[1]
    server = CROSS_VENDOR_URL.rstrip("/").rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "COPRODUCE_DATABASE_URL": CROSS_VENDOR_URL,
        "COPRODUCE_VAR_DIR": str(tmp_path / "var"),
    }
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    again = tmp_path / "from-postgresql.tar"
    for argv in (["restore", str(target)], ["backup", "--method", "json", str(again)]):
        result = subprocess.run(
            [sys.executable, "-m", "coproduce.cli", *argv],
            env=env,
            capture_output=True,
            text=True,
            timeout=1200,
        )
        assert result.returncode == 0, result.stderr

    def rows(path: Path) -> list:
        with tarfile.open(path) as archive:
            data = gzip.decompress(archive.extractfile("database.jsonl.gz").read()).decode()
        return [json.loads(line) for line in data.splitlines()]  # parsed: jsonb orders an object's keys

    assert backup.verify(again)["database"]["vendor"] == "postgresql"
    assert backup.verify(again)["tables"] == backup.verify(target)["tables"]
    assert rows(again) == rows(target)
