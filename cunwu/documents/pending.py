"""Files chosen on a page form that failed: kept for an hour, tied to the browser session, so nobody
has to choose them again after fixing a typo (issue 16).

A browser cannot refill a file input, so the form shows "已选择：文件名（保留）" with a box to let them
go; choosing new files for the field replaces them. The files live in the cache under a hash of the
session key and the form (never the raw session key), and go when the submit succeeds, when the
person lets them go, or after `TTL` seconds. Nothing is written to the database until the whole
submit is valid; the service checks the files' content exactly as for fresh uploads.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache

TTL = 60 * 60

Files = list[tuple[str, bytes]]


class PendingUploads:
    """The kept files of one form (`form_key`, e.g. "cert-decide:12") of this session."""

    def __init__(self, request: Any, form_key: str) -> None:
        self.request = request
        session = request.session
        if not session.session_key:
            session.save()
        digest = hashlib.sha256(f"{session.session_key}|{form_key}".encode()).hexdigest()
        self.key = f"pending-uploads:{digest}"
        self.files: dict[str, Files] = cache.get(self.key) or {}

    def resolve(self, field: str, fresh: Files) -> Files:
        """The files for `field` in this submit: freshly chosen ones replace the kept ones; the kept
        ones are used unless the person ticked `drop_<field>`."""
        if fresh:
            self.files[field] = fresh
        elif self.request.POST.get(f"drop_{field}"):
            self.files.pop(field, None)
        return list(self.files.get(field, []))

    def forget(self, field: str) -> None:
        """A field whose files were refused (too large, wrong kind) keeps nothing."""
        self.files.pop(field, None)

    def keep(self) -> None:
        """After a failed submit: hold what was chosen for the next try."""
        if any(self.files.values()):
            cache.set(self.key, {k: v for k, v in self.files.items() if v}, TTL)
        else:
            cache.delete(self.key)

    def clear(self) -> None:
        self.files = {}
        cache.delete(self.key)

    def names(self) -> dict[str, list[str]]:
        """{field: [file name, …]} for the form's "已选择" lines."""
        return {field: [name for name, _ in files] for field, files in self.files.items() if files}
