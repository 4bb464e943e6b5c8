"""The backup file: a plain tar (`tar tf` lists it) followed by one line, `COPRODUCE-BACKUP-SHA256:<hex>`, the
SHA-256 of every byte before it. A truncated file has lost that line; a flipped byte changes the sum. Inside the
tar, `manifest.json` (the last member) holds every other member's SHA-256, so a damaged file names what is damaged.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = "coproduce-backup"
FORMAT_VERSION = 1
TRAILER_PREFIX = b"COPRODUCE-BACKUP-SHA256:"
TRAILER_LENGTH = len(TRAILER_PREFIX) + 64 + 1  # prefix, hex digest, newline
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
CHUNK = 1 << 20

# Exit codes, also in the commands' help.
EXIT_BAD_FILE = 2  # the file is not a backup, or damaged: nothing was changed
EXIT_NOT_EMPTY = 3  # the database holds data and --force was not given: nothing was changed


class BackupError(Exception):
    """A plain message for the person running the command, and the exit code to leave with."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


@dataclass
class Snapshot:
    """What the staging directory holds once the database has been read."""

    method: str
    member: str  # the database member's name in the archive
    path: Path
    tables: dict[str, int]
    migrations: dict[str, list[str]]
    details: dict[str, Any] = field(default_factory=dict)


class _HashingReader:
    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        return data


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found.append((path, MEDIA_PREFIX + path.relative_to(root).as_posix()))
    return found


def write_archive(out: BinaryIO, snapshot: Snapshot) -> dict[str, Any]:
    members: dict[str, dict[str, Any]] = {}
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as archive:
        files = [(snapshot.path, snapshot.member)] + _media_files()
        for path, name in files:
            try:
                source = open(path, "rb")  # noqa: SIM115 - closed below
            except FileNotFoundError:
                continue  # an upload deleted while we were listing
            with source:
                info = tarfile.TarInfo(name)
                info.size = os.fstat(source.fileno()).st_size
                info.mtime = int(os.fstat(source.fileno()).st_mtime)
                reader = _HashingReader(source)
                archive.addfile(info, reader)
            members[name] = {"sha256": reader.sha256.hexdigest(), "size": info.size}
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": connection.vendor, "method": snapshot.method, "member": snapshot.member}
            | snapshot.details,
            "migrations": snapshot.migrations,
            "tables": snapshot.tables,
            "rows": sum(snapshot.tables.values()),
            "media": media_root.is_dir(),
            "members": members,
        }
        data = json.dumps(manifest, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(timezone.now().timestamp())
        archive.addfile(info, io.BytesIO(data))
    out.seek(0)
    whole = hashlib.sha256()
    length = out.seek(0, os.SEEK_END)
    out.seek(0)
    while out.tell() < length:
        whole.update(out.read(CHUNK))
    out.write(TRAILER_PREFIX + whole.hexdigest().encode() + b"\n")
    return manifest


def _fsync_directory(path: Path) -> None:
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def verify(path: Path) -> dict[str, Any]:
    """Every checksum, before anything is changed: the manifest, or BackupError(code 2) naming what is wrong."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist.", EXIT_BAD_FILE)
    size = path.stat().st_size
    with open(path, "rb") as source:
        looks_like_ours = _is_our_first_header(source.read(512))
        if size >= TRAILER_LENGTH:
            source.seek(size - TRAILER_LENGTH)
            trailer = source.read(TRAILER_LENGTH)
        else:
            trailer = b""
        if not trailer.startswith(TRAILER_PREFIX) or not trailer.endswith(b"\n"):
            if looks_like_ours:
                raise BackupError(
                    f"{path} is incomplete: its closing checksum line is missing, so the file was cut short "
                    "(truncated while copying, or the backup did not finish).",
                    EXIT_BAD_FILE,
                )
            raise BackupError(f"{path} is not a coproduce backup.", EXIT_BAD_FILE)
        expected = trailer[len(TRAILER_PREFIX) : -1].decode("ascii", "replace")
        source.seek(0)
        whole = hashlib.sha256()
        remaining = size - TRAILER_LENGTH
        while remaining > 0:
            data = source.read(min(CHUNK, remaining))
            if not data:
                break
            whole.update(data)
            remaining -= len(data)
    damaged = whole.hexdigest() != expected
    try:
        manifest, problems = _check_members(path)
    except BackupError:
        if damaged:
            raise BackupError(
                f"{path} is damaged: its checksum does not match its content, and its manifest cannot be read.",
                EXIT_BAD_FILE,
            ) from None
        raise
    if problems:
        raise BackupError(f"{path} is damaged: " + "; ".join(problems[:5]) + ".", EXIT_BAD_FILE)
    if damaged:
        raise BackupError(
            f"{path} is damaged: its checksum does not match its content (the damage is in the archive's "
            "headers or in the checksum line itself).",
            EXIT_BAD_FILE,
        )
    return manifest


def _is_our_first_header(block: bytes) -> bool:
    """A tar whose first member is a database dump: a backup of ours, whatever happened to its end. (PAX
    format may put an extended header first, named after the member.)"""
    return len(block) == 512 and block[257:262] == b"ustar" and b"database." in block[:100]


def _check_members(path: Path) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    try:
        with tarfile.open(path, mode="r:") as archive:
            try:
                manifest_member = archive.getmember(MANIFEST)
            except KeyError:
                raise BackupError(
                    f"{path} has no manifest: it is not a coproduce backup.", EXIT_BAD_FILE
                ) from None
            manifest_file = archive.extractfile(manifest_member)
            assert manifest_file is not None
            try:
                manifest = json.loads(manifest_file.read())
            except ValueError:
                raise BackupError(
                    f"{path} is damaged: its manifest is not readable.", EXIT_BAD_FILE
                ) from None
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError(f"{path} is not a coproduce backup.", EXIT_BAD_FILE)
            if manifest.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    f"{path} is a backup in format {manifest.get('format_version')}; this version of coproduce "
                    f"reads format {FORMAT_VERSION}.",
                    EXIT_BAD_FILE,
                )
            listed = manifest.get("members", {})
            seen = set()
            for member in archive.getmembers():
                if member.name == MANIFEST:
                    continue
                if member.name not in listed:
                    problems.append(f"it holds {member.name}, which its manifest does not list")
                    continue
                seen.add(member.name)
                if not member.isfile() or not _safe_name(member.name):
                    problems.append(f"{member.name} is not a plain file")
                    continue
                digest = hashlib.sha256()
                stream = archive.extractfile(member)
                assert stream is not None
                while data := stream.read(CHUNK):
                    digest.update(data)
                if digest.hexdigest() != listed[member.name]["sha256"]:
                    problems.append(f"{member.name} does not match its checksum")
            for name in sorted(set(listed) - seen):
                problems.append(f"{name} is missing")
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(
            f"{path} is damaged: the archive cannot be read ({error}).", EXIT_BAD_FILE
        ) from None
    return manifest, problems


def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return not Path(name).is_absolute() and ".." not in parts and bool(parts)


def _extract(path: Path, name: str, staging: Path) -> Path:
    target = staging / Path(name).name
    with tarfile.open(path, mode="r:") as archive:
        stream = archive.extractfile(name)
        assert stream is not None
        with open(target, "wb") as sink:
            shutil.copyfileobj(stream, sink, CHUNK)
    return target


def restore_media(path: Path, manifest: dict[str, Any]) -> None:
    """Unpack into a folder beside MEDIA_ROOT, then swap the two, so a failure leaves the old uploads."""
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.restoring-"))
    try:
        with tarfile.open(path, mode="r:") as archive:
            for name in manifest["members"]:
                if not name.startswith(MEDIA_PREFIX):
                    continue
                target = fresh / name[len(MEDIA_PREFIX) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                stream = archive.extractfile(name)
                assert stream is not None
                with open(target, "wb") as sink:
                    shutil.copyfileobj(stream, sink, CHUNK)
        old = None
        if root.exists():
            old = root.with_name(f".{root.name}.replaced-{uuid.uuid4().hex[:8]}")
            root.rename(old)
        fresh.rename(root)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
