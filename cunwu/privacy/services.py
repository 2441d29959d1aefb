"""Personal data services: audited full views, key rotation and batched re-encryption."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.db import models, transaction

from cunwu import keywrap
from cunwu.audit.services import audit_record

from . import cipher
from .fields import BlindIndexField, EncryptedTextField
from .models import DataKey, KeyPurpose


def pii_reveal(*, actor: Any, obj: models.Model, fields: list[str], region_code: str = "") -> dict[str, str]:
    """The clear values of `fields` of `obj` for someone whose role needs them; each view is audited.

    The caller has checked the permission and scope. The audit row names the fields, never the values.
    """
    with transaction.atomic():
        audit_record(
            actor=actor, action="privacy.reveal", obj=obj, region_code=region_code, after={"fields": sorted(fields)}
        )
    return {name: getattr(obj, name) or "" for name in fields}


def encrypted_models() -> Iterator[tuple[type[models.Model], list[str]]]:
    """Every installed model with encrypted columns, with the names of its encrypted and index fields."""
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField | BlindIndexField)]
        if any(isinstance(model._meta.get_field(n), EncryptedTextField) for n in names):
            yield model, names


def pii_reencrypt(*, batch: int = 500, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Re-seal every encrypted value under the current keys and recompute its blind indexes.

    One short transaction per batch of rows (locked while rewritten), so the site stays up: readers
    decrypt old and new ciphertexts alike, since retired keys stay. Returns rows rewritten per model.
    """
    done: dict[str, int] = {}
    for model, names in encrypted_models():
        label = model._meta.label_lower

        def report(count: int, label: str = label) -> None:
            if progress is not None:
                progress(label, count)

        done[label] = reseal_rows(model, names, batch=batch, progress=report)
    return done


def reseal_rows(
    model: type[models.Model], names: list[str], *, batch: int = 500, progress: Callable[[int], None] | None = None
) -> int:
    """Rewrite `names` of every row of `model` in pk order, `batch` rows per transaction; returns the count.

    Saving seals each value afresh under the current key and recomputes blind indexes (also what the
    data migrations use, with their historical models, to encrypt rows written in plain text).
    """
    count, last = 0, None
    while True:
        with transaction.atomic():
            qs = model._default_manager.select_for_update().order_by("pk").only("pk", *names)
            rows = list((qs.filter(pk__gt=last) if last is not None else qs)[:batch])
            for row in rows:
                row.save(update_fields=names)
        if not rows:
            return count
        last = rows[-1].pk
        count += len(rows)
        if progress is not None:
            progress(count)


def pii_keys_rotate(*, actor: Any = None, index: bool = False) -> list[DataKey]:
    """A new current data key (and index key when `index`); old keys keep decrypting and matching."""
    made = [cipher.key_rotate(KeyPurpose.ENCRYPT, actor=actor)]
    if index:
        made.append(cipher.key_rotate(KeyPurpose.INDEX, actor=actor))
    return made


def data_keys_encrypt(*, actor: Any = None) -> int:
    """Wrap data keys stored unwrapped once CUNWU_KEY_ENCRYPTION_KEY is set; returns how many."""
    done = 0
    with transaction.atomic():
        for row in DataKey.objects.select_for_update().filter(encrypted=False):
            row.material = keywrap.wrap_again(row.material)
            row.encrypted = True
            row.save(update_fields=["material", "encrypted"])
            audit_record(actor=actor, action="privacy.key.encrypt", obj=row, after={"kid": row.kid})
            done += 1
    return done
