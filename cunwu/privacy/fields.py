"""Model fields for personal data: encrypted at rest, clear in Python, found only by a blind index.

    applicant_id_number = EncryptedTextField("申请人身份证号")
    applicant_id_number_hmac = BlindIndexField(source="applicant_id_number")

    Application.objects.filter(applicant_id_number_hmac__in=blind_indexes(typed))

Equality on an encrypted column is refused (each write uses a fresh nonce, so it could never match),
except against "" — empty values are stored empty so constraints such as "agent named" still hold.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from . import cipher


class EncryptedTextField(models.TextField):
    """Text sealed with AES-256-GCM under the current data key on every write."""

    def aad(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else cipher.decrypt(value, aad=self.aad())

    def _seal(self, text: str) -> str:
        if cipher.is_sealed(text):
            cipher.decrypt(text, aad=self.aad())  # already sealed (a serialized backup): must be ours
            return text
        return cipher.encrypt(text, aad=self.aad())

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else self._seal(value)

    def value_to_string(self, obj: Any) -> str:
        # Serialized copies (dumpdata) carry ciphertext, like the database itself.
        value = self.value_from_object(obj)
        return "" if value is None else self.get_prep_value(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (a dict, as printed on a certificate) sealed like EncryptedTextField."""

    _pyi_private_set_type: Any  # django-stubs: takes and gives JSON values, not text
    _pyi_private_get_type: Any

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        text = super().from_db_value(value, expression, connection)
        return None if text is None else json.loads(text)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and not cipher.is_sealed(value):
            return json.loads(value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str) and cipher.is_sealed(value):
            return self._seal(value)
        return self._seal(json.dumps(value, ensure_ascii=False, sort_keys=True))


class _EmptyOnlyExact(Exact):
    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.target.name} 已加密保存，只能按检索哈希（BlindIndexField）精确查找。")
        return super().get_prep_lookup()


class BlindIndexField(models.CharField):
    """HMAC-SHA256 of another field's value, filled on every save: the only way to find a row by it."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        # Field.deconstruct leaves out db_index=False (its default), which here is not the default.
        kwargs.setdefault("db_index", False)
        for key, default in (("max_length", 64), ("blank", True), ("editable", False), ("db_index", True)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = cipher.blind_index(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value
