"""What a seal use puts into its village's hash chain: read by the services (append) and selectors (verify)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cunwu.ledger import rules as ledger_rules
from cunwu.masking import mask_name

from .models import SealRequest, SealUse

CHAIN_KIND_USE = "seal.use"
CHAIN_KIND_HANDOVER = "seal.handover"


def people_snapshot(user: Any, name: str | None = None) -> dict[str, Any]:
    # Rows stamped before names were kept fall back to the account's name.
    return {"id": user.pk, "name": mask_name(name or display_name(user))}


def display_name(user: Any) -> str:
    return (user.display_name or user.username)[:64]


def b64(hex_digest: str | None) -> str | None:
    """Hashes go into the chain as base64url: a hex digest can look like a phone number to its checks."""
    if not hex_digest:
        return None
    return base64.urlsafe_b64encode(bytes.fromhex(hex_digest)).decode().rstrip("=")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def use_payload(use: SealUse, request: SealRequest, resolution_sha256: str | None) -> dict[str, Any]:
    """The masked content of a stamping as it goes into the village's hash chain."""
    return {
        "seal": {"id": use.seal_id, "name": use.seal.name, "kind": use.seal.kind},
        "request": request.pk,
        "category": use.category,
        "matter": b64(digest(request.matter)),
        "approved_impressions": request.impressions,
        "impressions": use.impressions,
        "document": b64(use.document_sha256),
        "resolution": b64(resolution_sha256),
        "stamped_at": ledger_rules.canonical_time(use.stamped_at),
        "custodian": people_snapshot(use.custodian, use.custodian_name),
        "approver": people_snapshot(use.approver, use.approver_name),
        "requester": people_snapshot(use.requester, use.requester_name),
        "principal_signed": request.principal_signed,
        "device": use.device,
    }
