"""Signed checkpoints: the hourly tree head, its proofs, the witness and `audit verify` against them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from cunwu import keywrap
from cunwu.audit.models import AuditEntry
from cunwu.ledger import merkle, notes, witness
from cunwu.ledger.keys import ledger_origin
from cunwu.ledger.models import LedgerKey, TreeHead, TreeLeaf
from cunwu.ledger.services import checkpoint_create_all

from .helpers import CHAIN, OTHER, make_entries, rewrite_consistently, tampering

pytestmark = pytest.mark.django_db
WITNESS = "prefecture.example.gov.cn/witness"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def log_key(client: Client) -> notes.Verifier:
    response = client.get("/.well-known/ledger-key")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    return notes.parse_verifier(response.content.decode().splitlines()[0])


def fetcher(client: Client):
    def fetch(url: str) -> bytes:
        response = client.get(url.removeprefix("http://testserver"))
        if response.status_code != 200:
            raise witness.WitnessError(f"HTTP {response.status_code}")
        return response.content

    return fetch


def test_checkpoint_signs_one_tree_over_every_chain_head(client) -> None:
    make_entries(3)
    make_entries(2, chain=OTHER)
    assert "树大小 2" in run("ledger", "checkpoint")
    head = TreeHead.objects.get()
    note = notes.parse_notes(client.get("/api/v1/ledger/checkpoint").content.decode())[0]
    assert (note.text(), note.size, note.origin) == (head.note, 2, ledger_origin())
    assert notes.verify_signature(note, log_key(client)) is True
    assert AuditEntry.objects.filter(action="ledger.tree_head").count() == 1
    # Nothing new: no new leaf and no new signed head.
    run("ledger", "checkpoint")
    assert (TreeLeaf.objects.count(), TreeHead.objects.count()) == (2, 1)


def test_inclusion_proof_of_a_chain_head_verifies_against_the_signed_root(client) -> None:
    make_entries(2)
    make_entries(1, chain=OTHER)
    checkpoint_create_all()
    make_entries(1)
    checkpoint_create_all()
    data = client.get(f"/api/v1/ledger/inclusion?chain={CHAIN}").json()
    assert (data["seq"], data["tree_size"]) == (3, 3)
    note = notes.parse_notes(data["checkpoint"])[0]
    leaf = merkle.leaf_hash(f"cunwu-chain-head/v1\n{CHAIN}\n{data['seq']}\n{data['hash']}\n".encode())
    proof = [notes.unb64(p) for p in data["proof"]]
    assert merkle.verify_inclusion(data["leaf_index"], data["tree_size"], leaf, proof, note.root)
    assert client.get("/api/v1/ledger/inclusion?chain=530124103299").status_code == 404
    assert client.get("/api/v1/ledger/inclusion?chain=12").status_code == 422


def test_consistency_endpoint_proves_the_tree_only_grew(client) -> None:
    make_entries(1)
    checkpoint_create_all()
    first = notes.parse_notes(TreeHead.objects.get(size=1).note)[0]
    make_entries(1, chain=OTHER)
    make_entries(1)
    checkpoint_create_all()
    second = notes.parse_notes(TreeHead.objects.get(size=3).note)[0]
    data = client.get("/api/v1/ledger/consistency?first=1&second=3").json()
    proof = [notes.unb64(p) for p in data["proof"]]
    assert merkle.verify_consistency(1, 3, first.root, second.root, proof)
    for bad in ("first=3&second=1", "first=0&second=3", "first=1&second=9"):
        response = client.get(f"/api/v1/ledger/consistency?{bad}")
        assert response.status_code == 422 and response.json()["code"]


def test_ledger_key_is_wrapped_by_the_key_encryption_key(monkeypatch, client) -> None:
    monkeypatch.setenv(keywrap.ENV_VAR, keywrap.Fernet.generate_key().decode())
    make_entries(1)
    checkpoint_create_all()
    row = LedgerKey.objects.get()
    assert row.encrypted and "PRIVATE" not in row.private and len(row.private) > 60
    assert notes.verify_signature(notes.parse_notes(TreeHead.objects.get().note)[0], log_key(client)) is True
    monkeypatch.delenv(keywrap.ENV_VAR)
    make_entries(1)
    with pytest.raises(keywrap.KeyConfigError):
        checkpoint_create_all()


def test_witness_cosigns_and_audit_verify_checks_its_cosignatures(tmp_path: Path, client) -> None:
    make_entries(2)
    checkpoint_create_all()
    key, history = tmp_path / "w.key", tmp_path / "cosigned.txt"
    private = witness.key_create(key)
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    w_key = witness.cosigner_key(WITNESS, private)
    kwargs = {"base_url": "http://testserver", "fetch": fetcher(client), "log_key": log_key(client), "name": WITNESS}
    witness.witness_once(private=private, history=history, **kwargs)
    make_entries(1, chain=OTHER)
    checkpoint_create_all()
    second = witness.witness_once(private=private, history=history, **kwargs)
    assert second.size == 2 and len(notes.parse_notes(history.read_text())) == 2
    pinned = kwargs["log_key"].encode()
    out = run("audit", "verify", "--checkpoints", str(history), "--log-key", pinned, "--witness-key", w_key)
    assert "2 个签名存证点副本签名有效" in out and "1 个见证方的副署均有效" in out
    # A cosignature changed by one character: exit status 1.
    text = history.read_text()
    line = next(x for x in text.splitlines() if x.startswith(f"— {WITNESS} "))
    forged = line[:-6] + ("A" if line[-6] != "A" else "B") + line[-5:]
    history.write_text(text.replace(line, forged))
    with pytest.raises(CommandError) as caught:
        run("audit", "verify", "--checkpoints", str(history), "--witness-key", w_key)
    assert caught.value.returncode == 1 and "cosignature_invalid" in str(caught.value)
    # Another witness's key: its cosignature is missing.
    other = witness.cosigner_key("other.example/w", Ed25519PrivateKey.generate())
    with pytest.raises(CommandError, match="cosignature_missing"):
        run("audit", "verify", "--checkpoints", str(history), "--witness-key", other)


def test_witness_refuses_a_rewritten_log(tmp_path: Path, client) -> None:
    make_entries(3)
    checkpoint_create_all()
    private = Ed25519PrivateKey.generate()
    history = tmp_path / "cosigned.txt"
    kwargs = {"base_url": "http://testserver", "fetch": fetcher(client), "log_key": log_key(client), "name": WITNESS}
    witness.witness_once(private=private, history=history, **kwargs)
    # The operator rewrites the chain, its checkpoint and the tree, and signs it anew with the real key.
    rewrite_consistently(CHAIN, 1)
    with tampering("ledger_checkpoint", "ledger_treehead") as cursor:
        cursor.execute("DELETE FROM ledger_treehead")
        cursor.execute(
            "UPDATE ledger_checkpoint SET hash = (SELECT hash FROM ledger_chainhead WHERE chain = %s) WHERE chain = %s",
            [CHAIN, CHAIN],
        )
    checkpoint_create_all()
    make_entries(1, chain=OTHER)
    checkpoint_create_all()
    with pytest.raises(witness.WitnessError, match="不一致"):
        witness.witness_once(private=private, history=history, **kwargs)
    # A witness pinned to another key refuses the signature itself.
    stranger = notes.parse_verifier(
        notes.verifier_key(kwargs["log_key"].name, notes.public_bytes(Ed25519PrivateKey.generate().public_key()))
    )
    with pytest.raises(witness.WitnessError, match="签名"):
        witness.witness_once(private=private, history=tmp_path / "new.txt", **{**kwargs, "log_key": stranger})


def test_rewriting_chain_and_stored_checkpoints_together_is_caught_by_the_signature(tmp_path: Path, client) -> None:
    make_entries(4)
    make_entries(2, chain=OTHER)
    checkpoint_create_all()
    saved = tmp_path / "checkpoint.txt"
    saved.write_bytes(client.get("/api/v1/ledger/checkpoint").content)
    heads = tmp_path / "heads.json"
    heads.write_bytes(client.get("/api/v1/ledger/heads").content)
    assert "存证链校验通过" in run("audit", "verify", "--checkpoints", str(saved))
    assert "存证链校验通过" in run("audit", "verify", "--checkpoints", str(heads))  # the JSON of today
    # Whoever can write the database rewrites a chain, its checkpoint and the stored tree head's root.
    rewrite_consistently(CHAIN, 1)
    forged_root = notes.b64(b"\x00" * 32)
    with tampering("ledger_checkpoint", "ledger_treehead") as cursor:
        cursor.execute(
            "UPDATE ledger_checkpoint SET hash = (SELECT hash FROM ledger_chainhead WHERE chain = %s) WHERE chain = %s",
            [CHAIN, CHAIN],
        )
        head = TreeHead.objects.get()
        body = head.note.split("\n\n")[0].split("\n")
        cursor.execute(
            "UPDATE ledger_treehead SET note = %s", [head.note.replace(f"\n{body[2]}\n", f"\n{forged_root}\n")]
        )
    with pytest.raises(CommandError) as caught:
        run("audit", "verify")
    assert caught.value.returncode == 1 and "bad_signature" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        run("audit", "verify", "--checkpoints", str(saved))
    assert caught.value.returncode == 1
