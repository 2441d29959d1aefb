"""RFC 6962 trees and C2SP signed notes, pure: known vectors from other implementations, and tampering."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cunwu.ledger import merkle, notes

# The leaves and roots of the RFC 6962 test vectors used by certificate-transparency and Trillian.
LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
HASHES = [merkle.leaf_hash(bytes.fromhex(x)) for x in LEAVES]


def test_roots_match_the_rfc_6962_vectors() -> None:
    assert merkle.root([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert [merkle.root(HASHES[: n + 1]).hex() for n in range(8)] == ROOTS


def test_a_growing_tree_has_every_prefix_root_without_keeping_its_leaves() -> None:
    tree = merkle.GrowingTree()
    assert tree.root() == merkle.EMPTY_ROOT
    roots = []
    for h in HASHES:
        tree.append(h)
        roots.append(tree.root().hex())
    assert roots == ROOTS and tree.size == 8


def _hashes(n: int) -> list[bytes]:
    return [merkle.leaf_hash(str(i).encode()) for i in range(n)]


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 13, 21])
def test_every_inclusion_proof_verifies_and_no_other_leaf_does(n: int) -> None:
    hashes = _hashes(n)
    root = merkle.root(hashes)
    for i in range(n):
        proof = merkle.inclusion_proof(i, hashes)
        assert merkle.verify_inclusion(i, n, hashes[i], proof, root)
        assert not merkle.verify_inclusion(i, n, merkle.leaf_hash(b"forged"), proof, root)
        if n > 1:
            assert not merkle.verify_inclusion((i + 1) % n, n, hashes[i], proof, root)


@pytest.mark.parametrize("n", [2, 3, 7, 8, 9, 16, 17])
def test_consistency_proofs_verify_and_catch_a_rewritten_past(n: int) -> None:
    hashes = _hashes(n)
    for m in range(1, n + 1):
        proof = merkle.consistency_proof(m, hashes)
        assert merkle.verify_consistency(m, n, merkle.root(hashes[:m]), merkle.root(hashes), proof)
        rewritten = [merkle.leaf_hash(b"x"), *hashes[1:]]
        if m < n:
            assert not merkle.verify_consistency(m, n, merkle.root(rewritten[:m]), merkle.root(hashes), proof)
    assert not merkle.verify_consistency(n, n - 1, merkle.root(hashes), merkle.root(hashes[:-1]), [])


def test_signed_note_verifies_the_go_example() -> None:
    # The example of golang.org/x/mod/sumdb/note, the reference for C2SP signed-note.
    verifier = notes.parse_verifier("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
    text = (
        "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n"
        "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    )
    body, sig = text.split("\n\n")
    note = notes.Note(body + "\n", (notes.parse_signature(sig.strip()),))
    assert notes.verify_signature(note, verifier) is True
    changed = notes.Note(body.replace("problem", "answer") + "\n", note.signatures)
    assert notes.verify_signature(changed, verifier) is False


def test_checkpoint_signed_and_cosigned_round_trips() -> None:
    log, witness = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    log_key = notes.parse_verifier(notes.verifier_key("example.gov.cn/ledger", notes.public_bytes(log.public_key())))
    text = notes.sign(notes.checkpoint_body("example.gov.cn/ledger", 8, bytes.fromhex(ROOTS[7])), log_key.name, log)
    note = notes.parse_notes(text)[0]
    assert (note.origin, note.size, note.root.hex()) == ("example.gov.cn/ledger", 8, ROOTS[7])
    assert text.splitlines()[:3] == ["example.gov.cn/ledger", "8", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="]
    assert notes.verify_signature(note, log_key) is True
    w_key = notes.parse_verifier(
        notes.verifier_key("pref.example/w", notes.public_bytes(witness.public_key()), notes.COSIGNATURE_V1)
    )
    cosigned = notes.parse_notes(note.text() + notes.cosign(note, "pref.example/w", witness, 1_700_000_000))[0]
    assert notes.verify_cosignature(cosigned, w_key) == (True, 1_700_000_000)
    assert notes.verify_signature(cosigned, log_key) is True  # a cosignature does not disturb the log's
    line = cosigned.signatures[1].line()
    forged = line[:-6] + ("A" if line[-6] != "A" else "B") + line[-5:]
    tampered = notes.parse_notes(note.text() + forged)[0]
    assert notes.verify_cosignature(tampered, w_key) == (False, 1_700_000_000)


@pytest.mark.parametrize(
    "text",
    ["", "origin\n8\nnot-base64!\n\n— k AAAAAAA=\n", "origin\nx\nAAAA\n\n— k AAAAAAA=\n", "o\n1\n" + "A" * 44 + "\n\n"],
)
def test_malformed_notes_are_refused(text: str) -> None:
    with pytest.raises(notes.NoteError):
        notes.parse_notes(text)
