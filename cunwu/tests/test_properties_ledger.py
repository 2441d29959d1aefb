"""The hash chain, for any content: appends verify, and any single changed character is caught."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from cunwu.ledger.rules import GENESIS_HASH, canonical_json, entry_hash, verify_entries

FAST = settings(max_examples=60, deadline=None, database=None)
CHAIN = "530124103200"
START = datetime(2027, 1, 1, tzinfo=UTC)

# JSON the registers store: text, safe integers, booleans, null, nested (no floats: amounts are strings).
scalars = st.one_of(st.text(max_size=20), st.integers(-(2**53) + 1, 2**53 - 1), st.booleans(), st.none())
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
payloads = st.dictionaries(st.text(max_size=8), json_values, max_size=4)
appends = st.lists(st.tuples(st.sampled_from(["seal.use", "certificate.issue"]), payloads), min_size=1, max_size=8)


def build(items: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The entries `chain_append` would write for these (kind, payload) appends, in order."""
    entries, prev = [], GENESIS_HASH
    for seq, (kind, payload) in enumerate(items, start=1):
        fields = {
            "chain": CHAIN,
            "seq": seq,
            "kind": kind,
            "ref_type": "thing",
            "ref_id": str(seq),
            "payload": payload,
            "recorded_at": START + timedelta(minutes=seq),
        }
        digest = entry_hash(prev, fields)
        entries.append({**fields, "prev_hash": prev, "hash": digest})
        prev = digest
    return entries


@FAST
@given(appends)
def test_any_sequence_of_appends_verifies(items: list[tuple[str, dict[str, Any]]]) -> None:
    entries = build(items)
    head = {"chain": CHAIN, "seq": len(entries), "hash": entries[-1]["hash"]}
    assert verify_entries(entries, heads=[head]) == []


def _flip(text: str, at: int) -> str:
    at %= len(text)
    return text[:at] + ("0" if text[at] != "0" else "1") + text[at + 1 :]


@FAST
@given(appends, st.data())
def test_a_single_changed_character_anywhere_is_caught(items: list[tuple[str, dict[str, Any]]], data: Any) -> None:
    entries = build(items)
    head = {"chain": CHAIN, "seq": len(entries), "hash": entries[-1]["hash"]}
    victim = entries[data.draw(st.integers(0, len(entries) - 1))]
    field = data.draw(st.sampled_from(["hash", "prev_hash", "kind", "ref_id", "payload", "seq"]))
    at = data.draw(st.integers(0, 63))
    if field == "payload":
        victim["payload"] = {**victim["payload"], "改": _flip(str(victim["payload"].get("改", "x")), at)}
    elif field == "seq":
        victim["seq"] += 1
    else:
        victim[field] = _flip(victim[field], at)
    problems = verify_entries(entries, heads=[head])
    assert problems and problems[0].chain == CHAIN


@FAST
@given(json_values)
def test_the_fast_canonical_json_is_byte_for_byte_rfc8785(value: Any) -> None:
    assert canonical_json(value) == rfc8785.dumps(value)
