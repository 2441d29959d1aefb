"""Backup → wipe → restore → every row and file as before, chains verified; damaged archives refused."""

from __future__ import annotations

import gzip
import io
import resource
import signal
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from conftest import VILLAGE, _user, seed_base
from cunwu import partitions
from cunwu.audit.models import AuditEntry
from cunwu.backups.archive import MANIFEST, BackupError, backup_create, backup_restore
from cunwu.certificates.tests.helpers import make_certificate, upload
from cunwu.regions.selectors import region_get

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _activity() -> None:
    """A certificate issued with an uploaded material: rows in every area, a chain entry, a file."""
    seed_base()
    village = region_get(VILLAGE)
    make_certificate(_user("village_clerk"), _user("village_head"), village, materials=[upload()])


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        rows = model._default_manager.order_by("pk").values_list()
        out[model._meta.db_table] = [tuple(r) for r in rows]
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _wipe(root: Path) -> None:
    call_command("flush", "--noinput", verbosity=0)
    for path in sorted(root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def test_backup_wipe_restore_gives_back_every_row_and_file(media: Path, tmp_path: Path) -> None:
    _activity()
    rows, files = _snapshot(), _files(media)
    assert files and any(rows[t] for t in rows if t.startswith("ledger_"))
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    assert archive.stat().st_mode & 0o077 == 0  # owner-only, like var/

    _wipe(media)
    assert not _files(media)
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert _snapshot() == rows
    assert _files(media) == files
    assert "存证链校验通过" in out.getvalue()


def test_restore_refuses_a_database_that_holds_data(media: Path, tmp_path: Path) -> None:
    _activity()
    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    with pytest.raises(CommandError, match="数据库不是空的"):
        call_command("restore", str(archive))
    # --force overwrites, and the result is the backup again
    before = _snapshot()
    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert _snapshot() == before


def _rewrite(archive: Path, target: Path, change: Any) -> None:
    """Copy the archive member by member, letting `change(name, data)` alter a member's bytes."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src:
            fh = src.extractfile(member)
            data = change(member.name, fh.read() if fh else b"")
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


def test_tampered_or_truncated_archives_are_refused_before_anything_is_written(media: Path, tmp_path: Path) -> None:
    _activity()
    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    _wipe(media)
    (media / "keep.txt").parent.mkdir(parents=True, exist_ok=True)

    tampered = tmp_path / "tampered.tar.gz"
    _rewrite(archive, tampered, lambda name, data: data + b"x" if name.startswith("media/") else data)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    no_manifest = tmp_path / "no-manifest.tar.gz"
    _rewrite(archive, no_manifest, lambda name, data: data)
    with tarfile.open(archive, "r:gz") as src, tarfile.open(no_manifest, "w:gz") as dst:
        for member in src:
            if member.name != MANIFEST:
                dst.addfile(member, src.extractfile(member))
    not_gzip = tmp_path / "plain.tar.gz"
    not_gzip.write_bytes(gzip.decompress(archive.read_bytes())[:100])

    for bad, message in (
        (tampered, "校验值不符"),
        (truncated, "不完整或已损坏"),
        (no_manifest, "缺少清单"),
        (not_gzip, "不完整或已损坏"),
        (tmp_path / "missing.tar.gz", "找不到备份文件"),
    ):
        with pytest.raises(BackupError, match=message):
            backup_restore(bad)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM accounts_user")
            assert cursor.fetchone()[0] == 0, bad.name  # nothing written
        assert not any(media.rglob("*.pdf")), bad.name


def test_a_full_disk_during_backup_leaves_no_archive_behind(media: Path, tmp_path: Path) -> None:
    """A file-size limit (RLIMIT_FSIZE) makes writes fail with EFBIG exactly as a full disk fails them."""
    _activity()
    target = tmp_path / "out" / "backup.tar.gz"
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))
    try:
        with pytest.raises(BackupError, match="未留下不完整的备份"):
            backup_create(target)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir()] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="yearly partitions exist on PostgreSQL only")
def test_restore_gives_back_the_yearly_partitions_still_append_only(media: Path, tmp_path: Path) -> None:
    _activity()
    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    _wipe(media)
    backup_restore(archive)
    with connection.cursor() as cursor:
        for p in partitions.PARTITIONED:
            assert partitions.is_partitioned(cursor, p.table)
            assert partitions.default_name(p.table) in {name for name, _ in partitions.partitions(cursor, p.table)}
    year = timezone.localdate().year
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE ledger_chainentry_y{year} SET kind = 'x'")
    # The id sequence came back with the rows: a new audit row does not collide with a restored one.
    top = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    assert AuditEntry.objects.create(action="after.restore", object_type="test").id > top
