"""`coproduce backup FILE` and `coproduce restore FILE`: one file holding a consistent snapshot of the database and
the uploads, every checksum checked before anything is changed.

`archive` is the file's format (tar, manifest, checksums, uploads); `database` takes and puts back the database
(SQLite backup API, pg_dump, or a portable JSON dump).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from coproduce.core.backup.archive import (
    EXIT_BAD_FILE,
    EXIT_NOT_EMPTY,
    MEDIA_PREFIX,
    TRAILER_PREFIX,
    BackupError,
    _extract,
    _fsync_directory,
    restore_media,
    verify,
    write_archive,
)
from coproduce.core.backup.database import (
    _clear_caches,
    check_counts,
    choose_method,
    data_rows,
    live_row_counts,
    restore_json,
    restore_pg_dump,
    restore_sqlite,
    snapshot_json,
    snapshot_pg_dump,
    snapshot_sqlite,
)

__all__ = [
    "EXIT_BAD_FILE",
    "EXIT_NOT_EMPTY",
    "MEDIA_PREFIX",
    "TRAILER_PREFIX",
    "BackupError",
    "create_backup",
    "live_row_counts",
    "restore_backup",
    "verify",
]


def create_backup(target: Path, *, method: str = "auto", overwrite: bool = False) -> dict[str, Any]:
    """Write a backup to `target` (through a temporary file beside it, renamed at the end) and return its
    manifest."""
    target = target.resolve()
    if target.exists() and not overwrite:
        raise BackupError(
            f"{target} already exists. Choose another name, or run again with --force to replace it."
        )
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    method = choose_method(method)
    # Staged beside the target: the same disk, which /tmp (often small, or memory) may not be.
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".coproduce-backup-") as staging_name:
        staging = Path(staging_name)
        if method == "sqlite":
            snapshot = snapshot_sqlite(staging)
        elif method == "pg_dump":
            snapshot = snapshot_pg_dump(staging)
        else:
            snapshot = snapshot_json(staging)
        descriptor, partial_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
        )
        partial = Path(partial_name)
        try:
            with os.fdopen(descriptor, "w+b") as out:
                manifest = write_archive(out, snapshot)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    _fsync_directory(target.parent)
    return manifest


def restore_backup(path: Path, *, force: bool = False) -> dict[str, Any]:
    path = path.resolve()
    manifest = verify(path)
    rows, tables = data_rows()
    if rows and not force:
        raise BackupError(
            f"The database already holds {rows:,} rows in {tables:,} tables. Restore would replace them: "
            "run again with --force if you mean it.",
            EXIT_NOT_EMPTY,
        )
    method = manifest["database"]["method"]
    member = manifest["database"]["member"]
    with tempfile.TemporaryDirectory(prefix="coproduce-restore-") as staging_name:
        staging = Path(staging_name)
        # The database first, then the uploads: a failed database restore leaves the uploads as they were.
        database_file = _extract(path, member, staging)
        if method == "sqlite":
            restore_sqlite(database_file, manifest)
        elif method == "pg_dump":
            restore_pg_dump(database_file, manifest)
        elif method == "json":
            restore_json(database_file, manifest)
        else:
            raise BackupError(f"Unknown backup method {method!r}.", EXIT_BAD_FILE)
        if manifest.get("media"):
            restore_media(path, manifest)
    _clear_caches()
    check_counts(manifest)
    return manifest
