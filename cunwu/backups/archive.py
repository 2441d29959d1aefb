"""Backups that restore: one archive holding the database, the uploaded files and a manifest.

The archive is a gzip'd tar with `database/cunwu.sqlite3` (SQLite's online backup API) or
`database/cunwu.dump` (`pg_dump -Fc`), every file under MEDIA_ROOT as `media/<path>`, and
`manifest.json` (engine, row count of every table, size and SHA-256 of every member). Signing and
data keys are rows in the database, wrapped by CUNWU_KEY_ENCRYPTION_KEY, which never enters the archive.

Restoring checks the whole archive (shape, manifest, every hash) before it writes anything, and
refuses a target that already holds data unless forced.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = "cunwu-backup/1"
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database/cunwu.sqlite3", "postgresql": "database/cunwu.dump"}
# Rows that `migrate` itself writes; a freshly migrated database counts as empty.
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what is wrong, in Chinese."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    tables: dict[str, int]
    files: dict[str, dict[str, Any]]  # member name → {"size", "sha256"}

    def as_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "engine": self.engine,
            "created_at": self.created_at,
            "tables": self.tables,
            "files": self.files,
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in DB_MEMBER:
        raise BackupError(f"不支持的数据库类型：{vendor}")
    return vendor


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> Iterator[Path]:
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _table_counts(cursor: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        # Table names come from the database catalogue itself, quoted by the backend.
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env() -> dict[str, str]:
    s = connection.settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if s.get(key):
            env[var] = str(s[key])
    env["PGDATABASE"] = str(s["NAME"])
    return env


def _run(args: list[str], what: str) -> None:
    try:
        done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"找不到 {args[0]}：请安装 PostgreSQL 客户端（postgresql-client）") from exc
    if done.returncode != 0:
        detail = done.stderr.strip()[:2000] or f"{args[0]} 退出码 {done.returncode}"
        raise BackupError(f"{what}失败：{detail}")


def _dump_database(engine: str, target: Path) -> dict[str, int]:
    """Write a consistent copy of the database to `target`; return the row counts of that copy."""
    connection.ensure_connection()
    if engine == "sqlite":
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # one step (pages=-1): a consistent snapshot
            return _table_counts(copy.cursor())
        finally:
            copy.close()
    # PostgreSQL: count rows and dump inside one exported snapshot, so both see the same data.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _table_counts(cursor)
            _run(
                ["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "-f", str(target)],
                "导出数据库",
            )
        finally:
            cursor.execute("ROLLBACK")
    return counts


def backup_create(output: Path) -> Manifest:
    """Write the archive to `output` atomically: a `.partial` file renamed when complete, removed on any failure."""
    engine = _engine()
    output = output.resolve()
    if output.is_dir():
        raise BackupError(f"{output} 是一个目录，请给出备份文件的路径")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=".cunwu-backup-") as tmp:
            dump = Path(tmp) / "db"
            tables = _dump_database(engine, dump)
            files: dict[str, dict[str, Any]] = {
                DB_MEMBER[engine]: {"size": dump.stat().st_size, "sha256": _sha256(dump)}
            }
            media = _media_root()
            members = [(DB_MEMBER[engine], dump)]
            for path in _media_files(media):
                name = "media/" + path.relative_to(media).as_posix()
                files[name] = {"size": path.stat().st_size, "sha256": _sha256(path)}
                members.append((name, path))
            manifest = Manifest(engine, timezone.now().isoformat(timespec="seconds"), tables, files)
            with tarfile.open(partial, "w:gz") as tar:
                for name, path in members:
                    tar.add(path, arcname=name, recursive=False)
                body = manifest.as_json()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(body)
                info.mtime = int(datetime.now().timestamp())
                tar.addfile(info, _BytesReader(body))
            with partial.open("rb") as fh:
                os.fsync(fh.fileno())
        os.chmod(partial, 0o600)
        os.replace(partial, output)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(f"写入备份失败（{reason}），未留下不完整的备份：{output}") from exc
    except BackupError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{exc}；未留下不完整的备份：{output}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._pos + size
        out = bytes(self._data[self._pos : end])
        self._pos += len(out)
        return out


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _read_manifest(tar: tarfile.TarFile) -> Manifest:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError as exc:
        raise BackupError("备份文件缺少清单（manifest.json），不是完整的 cunwu 备份") from exc
    fh = tar.extractfile(member)
    if fh is None:
        raise BackupError("备份清单不是普通文件")
    try:
        data = json.loads(fh.read())
    except ValueError as exc:
        raise BackupError("备份清单不是有效的 JSON") from exc
    if data.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{data.get('format')!r}（应为 {FORMAT}）")
    return Manifest(data["engine"], data["created_at"], data["tables"], data["files"])


@contextmanager
def _checked_archive(path: Path, workdir: Path) -> Iterator[Manifest]:
    """Extract every member into `workdir`, checking names, sizes and hashes against the manifest."""
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    try:
        with tarfile.open(path, "r:gz") as tar:
            manifest = _read_manifest(tar)
            seen: set[str] = set()
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if not member.isfile() or not _safe_member(member.name):
                    raise BackupError(f"备份中有不允许的条目：{member.name}")
                expected = manifest.files.get(member.name)
                if expected is None:
                    raise BackupError(f"备份中有清单未列出的文件：{member.name}")
                target = workdir / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None
                digest = hashlib.sha256()
                with target.open("wb") as out:
                    while block := source.read(CHUNK):
                        digest.update(block)
                        out.write(block)
                if target.stat().st_size != expected["size"] or digest.hexdigest() != expected["sha256"]:
                    raise BackupError(f"备份中的文件已损坏或被改动（校验值不符）：{member.name}")
                seen.add(member.name)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"备份文件不完整或已损坏：{exc}") from exc
    missing = sorted(set(manifest.files) - seen)
    if missing:
        raise BackupError(f"备份文件缺少清单所列的文件：{'、'.join(missing[:5])}")
    yield manifest


def _database_has_rows() -> list[str]:
    with connection.cursor() as cursor:
        counts = _table_counts(cursor)
    return sorted(t for t, n in counts.items() if n and t not in BOOKKEEPING_TABLES)


def restore_target_problems() -> list[str]:
    """Why the configured database and media directory are not an empty place to restore into."""
    problems = []
    tables = _database_has_rows()
    if tables:
        problems.append(f"数据库不是空的（{len(tables)} 张表有数据，例如 {'、'.join(tables[:3])}）")
    media = _media_root()
    if media.exists() and any(media.iterdir()):
        problems.append(f"上传文件目录不是空的：{media}")
    return problems


def _load_database(engine: str, dump: Path) -> None:
    connection.ensure_connection()
    if engine == "sqlite":
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    # pg_restore --clean cannot drop a partition's inherited primary key ("cannot drop inherited
    # constraint"): drop the partitioned tables (and so their partitions) first. To keep restore
    # all-or-nothing, pg_restore writes its script to psql, which runs it after those DROPs in one
    # transaction that commits only if pg_restore read the whole dump without error.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'p' AND relnamespace = current_schema()::regnamespace"
        )
        partitioned = [row[0] for row in cursor.fetchall()]
    connection.close()  # the restore drops the tables; hold no connection meanwhile
    prelude = "BEGIN;\n" + "".join(f'DROP TABLE IF EXISTS "{name}" CASCADE;\n' for name in partitioned)
    script = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "-f", "-", str(dump)]
    load = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", str(connection.settings_dict["NAME"])]
    quiet = dict(_pg_env(), PGOPTIONS="-c client_min_messages=warning")  # no NOTICE per IF EXISTS
    with tempfile.TemporaryFile() as read_log, tempfile.TemporaryFile() as load_log:
        try:
            reader = subprocess.Popen(script, env=quiet, stdout=subprocess.PIPE, stderr=read_log)
            writer = subprocess.Popen(
                load, env=quiet, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=load_log
            )
        except FileNotFoundError as exc:
            raise BackupError(f"找不到 {exc.filename}：请安装 PostgreSQL 客户端（postgresql-client）") from exc
        script_out, load_in = reader.stdout, writer.stdin
        if script_out is None or load_in is None:  # both were opened as pipes above
            raise BackupError("恢复数据库失败：无法连接 pg_restore 与 psql")
        read_ok = False
        try:
            with load_in:
                load_in.write(prelude.encode())
                shutil.copyfileobj(script_out, load_in, 1024 * 1024)
                read_ok = reader.wait() == 0
                load_in.write(b"COMMIT;\n" if read_ok else b"ROLLBACK;\n")
        except BrokenPipeError:
            reader.kill()  # psql stopped at an error: its transaction is rolled back
        reader.wait()
        loaded = writer.wait() == 0
        if not (read_ok and loaded):
            read_log.seek(0)
            load_log.seek(0)
            detail = (load_log.read() or read_log.read()).decode(errors="replace").strip()[:2000]
            raise BackupError(f"恢复数据库失败：{detail or 'pg_restore 或 psql 未正常结束'}")


def _replace_media(source: Path) -> None:
    media = _media_root()
    staged = media.with_name(media.name + ".restoring")
    shutil.rmtree(staged, ignore_errors=True)
    if source.exists():
        shutil.copytree(source, staged)
    else:
        staged.mkdir(parents=True)
    if media.exists():
        shutil.rmtree(media)
    os.replace(staged, media)


def backup_restore(path: Path, *, force: bool = False) -> Manifest:
    """Check the archive, refuse a non-empty target unless `force`, then load the database and the files.

    The caller runs the chain verification afterwards (the command does).
    """
    engine = _engine()
    if not force:
        problems = restore_target_problems()
        if problems:
            raise BackupError("；".join(problems) + "。恢复只写入空的数据库和空目录；确需覆盖请加 --force。")
    parent = Path(settings.MEDIA_ROOT).resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=parent, prefix=".cunwu-restore-") as tmp:
        workdir = Path(tmp)
        with _checked_archive(path.resolve(), workdir) as manifest:
            if manifest.engine != engine:
                raise BackupError(f"备份来自 {manifest.engine} 数据库，当前配置的是 {engine}，不能直接恢复")
            _load_database(engine, workdir / DB_MEMBER[engine])
            _replace_media(workdir / "media")
    with connection.cursor() as cursor:
        counts = _table_counts(cursor)
    differ = sorted(t for t, n in manifest.tables.items() if counts.get(t) != n)
    if differ:
        raise BackupError(f"恢复后的行数与备份清单不符：{'、'.join(differ[:5])}")
    return manifest
