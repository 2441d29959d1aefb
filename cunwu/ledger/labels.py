"""The ledger's label table: what each chain record is about, in words (`{{ code|label:"ledger" }}`)."""

from __future__ import annotations

from .selectors import KIND_LABELS

REF_TYPES = {
    "certificate": "证明",
    "certificates.certificate": "证明",
    "seal_use": "用印记录",
    "seal_handover": "印章移交",
}

LABELS: dict[str, str] = {**KIND_LABELS, **REF_TYPES}
