"""The chain rules, pure: hashing and every kind of tampering, on plain dicts."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from cunwu.ledger import rules
from cunwu.ledger.rules import GENESIS_HASH, entry_hash, verify_entries

CHAIN = "530124103200"
T0 = datetime(2027, 3, 1, 1, 30, tzinfo=UTC)


def make_chain(n: int, chain: str = CHAIN) -> list[dict]:
    """A valid chain of n entries built with the rules themselves."""
    out: list[dict] = []
    prev = GENESIS_HASH
    for i in range(1, n + 1):
        entry = {
            "chain": chain,
            "seq": i,
            "kind": "certificate.issue" if i % 3 else "seal.use",
            "ref_type": "certificates.certificate",
            "ref_id": str(1000 + i),
            "payload": {"serial": f"{chain}-2027-{i:06d}", "subject": "张*丰", "n": i},
            "recorded_at": T0 + timedelta(minutes=i),
            "prev_hash": prev,
        }
        entry["hash"] = entry_hash(prev, entry)
        prev = entry["hash"]
        out.append(entry)
    return out


def rehash_from(entries: list[dict], start: int = 0) -> list[dict]:
    """Recompute links and hashes from position `start` on, as an attacker rewriting consistently would."""
    prev = entries[start - 1]["hash"] if start else GENESIS_HASH
    for entry in entries[start:]:
        entry["prev_hash"] = prev
        entry["hash"] = entry_hash(prev, entry)
        prev = entry["hash"]
    return entries


def only(problems: list[rules.ChainProblem]) -> tuple[str, int, str]:
    assert len(problems) == 1, problems
    return problems[0].chain, problems[0].seq, problems[0].problem


def test_hash_is_sha256_of_prev_hash_and_canonical_json() -> None:
    import hashlib

    import rfc8785

    fields = {
        "chain": CHAIN,
        "seq": 1,
        "kind": "seal.use",
        "ref_type": "",
        "ref_id": "",
        "payload": {"b": 1, "a": "印"},
        "recorded_at": T0,
    }
    body = {**fields, "recorded_at": "2027-03-01T09:30:00.000000+08:00"}
    expected = hashlib.sha256(GENESIS_HASH.encode() + rfc8785.dumps(body)).hexdigest()
    assert entry_hash(GENESIS_HASH, fields) == expected


def test_hash_ignores_key_order_and_time_zone_but_not_content() -> None:
    a = {
        "chain": CHAIN,
        "seq": 1,
        "kind": "seal.use",
        "ref_type": "",
        "ref_id": "",
        "payload": {"x": 1, "y": 2},
        "recorded_at": T0,
    }
    b = {**a, "payload": {"y": 2, "x": 1}, "recorded_at": T0.astimezone(rules.CHINA_TIME).isoformat()}
    assert entry_hash(GENESIS_HASH, a) == entry_hash(GENESIS_HASH, b)
    assert entry_hash(GENESIS_HASH, a) != entry_hash(GENESIS_HASH, {**a, "payload": {"x": 1, "y": 3}})
    assert entry_hash(GENESIS_HASH, a) != entry_hash("1" * 64, a)
    assert entry_hash(GENESIS_HASH, a) != entry_hash(GENESIS_HASH, {**a, "seq": 2})


def test_canonical_time_is_china_time_with_microseconds() -> None:
    assert rules.canonical_time(T0) == "2027-03-01T09:30:00.000000+08:00"
    with pytest.raises(ValueError):
        rules.canonical_time(datetime(2027, 3, 1))  # a naive time must be refused


def test_an_intact_chain_holds() -> None:
    assert verify_entries(make_chain(10)) == []
    assert verify_entries([]) == []


def test_entries_may_come_in_any_order() -> None:
    entries = make_chain(6)
    assert verify_entries(list(reversed(entries))) == []


def test_changed_payload_is_caught_at_that_entry() -> None:
    entries = make_chain(8)
    entries[4]["payload"]["subject"] = "李*"
    chain, seq, problem = only(verify_entries(entries))
    assert (chain, seq, problem) == (CHAIN, 5, "changed")


def test_changed_kind_time_or_ref_is_caught() -> None:
    for key, value in (("kind", "certificate.revoke"), ("ref_id", "9"), ("recorded_at", T0 + timedelta(days=1))):
        entries = make_chain(5)
        entries[2][key] = value
        assert only(verify_entries(entries))[1:] == (3, "changed"), key


def test_changed_last_entry_is_caught() -> None:
    entries = make_chain(4)
    entries[-1]["payload"] = {}
    assert only(verify_entries(entries))[1:] == (4, "changed")


def test_entry_changed_and_rehashed_is_caught_by_the_next_link() -> None:
    entries = make_chain(6)
    entries[2]["payload"]["subject"] = "王*"
    entries[2]["hash"] = entry_hash(entries[2]["prev_hash"], entries[2])
    assert only(verify_entries(entries))[1:] == (3, "changed")


def test_edited_prev_hash_is_caught() -> None:
    entries = make_chain(5)
    entries[3]["prev_hash"] = "f" * 64
    assert only(verify_entries(entries))[1:] == (4, "changed")


def test_deleted_entry_leaves_a_gap() -> None:
    entries = make_chain(7)
    del entries[3]
    problems = verify_entries(entries)
    assert only(problems)[1:] == (4, "deleted")
    assert "第 4 条" in problems[0].message


def test_deleted_first_entry_is_caught() -> None:
    entries = make_chain(4)[1:]
    assert only(verify_entries(entries))[1:] == (1, "deleted")


def test_deleted_entry_with_renumbering_is_caught() -> None:
    entries = make_chain(7)
    del entries[3]
    for entry in entries[3:]:
        entry["seq"] -= 1
    assert only(verify_entries(entries))[1:] == (4, "deleted")


def test_deleted_last_entry_is_caught_by_the_head() -> None:
    entries = make_chain(5)
    head = {"chain": CHAIN, "seq": 5, "hash": entries[-1]["hash"]}
    assert only(verify_entries(entries[:-1], heads=[head]))[1:] == (5, "deleted")


def test_deleted_last_entry_is_caught_by_a_checkpoint() -> None:
    entries = make_chain(5)
    checkpoint = {"chain": CHAIN, "seq": 5, "hash": entries[-1]["hash"], "created_at": T0}
    assert only(verify_entries(entries[:-1], [checkpoint]))[1:] == (5, "checkpoint_mismatch")


def test_every_entry_deleted_is_caught_by_the_head_or_checkpoint() -> None:
    head = {"chain": CHAIN, "seq": 3, "hash": "a" * 64}
    assert only(verify_entries([], heads=[head]))[1:] == (1, "deleted")
    checkpoint = {"chain": CHAIN, "seq": 3, "hash": "a" * 64, "created_at": T0}
    assert only(verify_entries([], [checkpoint]))[1:] == (3, "checkpoint_mismatch")


def test_inserted_entry_with_renumbering_is_caught() -> None:
    entries = make_chain(6)
    forged = copy.deepcopy(entries[2])
    forged["payload"] = {"serial": "forged"}
    for entry in entries[3:]:
        entry["seq"] += 1
    forged["seq"] = 4
    forged["prev_hash"] = entries[2]["hash"]
    forged["hash"] = entry_hash(forged["prev_hash"], forged)  # a well-made forgery links correctly
    entries.insert(3, forged)
    assert only(verify_entries(entries))[1:] == (4, "inserted")


def test_inserted_badly_linked_entry_is_caught() -> None:
    entries = make_chain(6)
    forged = {**copy.deepcopy(entries[2]), "seq": 4, "prev_hash": "0" * 64, "hash": "1" * 64}
    for entry in entries[3:]:
        entry["seq"] += 1
    entries.insert(3, forged)
    assert only(verify_entries(entries))[1:] == (4, "inserted")


def test_entry_added_past_the_head_is_caught() -> None:
    entries = make_chain(5)
    head = {"chain": CHAIN, "seq": 4, "hash": entries[3]["hash"]}
    assert only(verify_entries(entries, heads=[head]))[1:] == (5, "inserted")


def test_duplicate_sequence_number_is_caught() -> None:
    entries = make_chain(4)
    entries.append({**entries[1]})
    assert only(verify_entries(entries))[1:] == (2, "inserted")


def test_swapped_entries_are_caught() -> None:
    entries = make_chain(6)
    entries[2]["seq"], entries[3]["seq"] = 4, 3
    problems = verify_entries(entries)
    assert only(problems)[1:] == (3, "reordered")
    assert "调换" in problems[0].message


def test_swapped_last_two_entries_are_caught() -> None:
    entries = make_chain(4)
    entries[2]["seq"], entries[3]["seq"] = 4, 3
    assert only(verify_entries(entries))[1:] == (3, "reordered")


def test_consistent_rewrite_is_caught_only_by_a_checkpoint() -> None:
    entries = make_chain(6)
    checkpoint = {"chain": CHAIN, "seq": 5, "hash": entries[4]["hash"], "created_at": T0}
    entries[1]["payload"]["subject"] = "赵*"
    rehash_from(entries, 1)
    assert verify_entries(entries) == []  # the chain alone cannot tell
    problems = verify_entries(entries, [checkpoint])
    assert only(problems)[1:] == (5, "checkpoint_mismatch")
    assert "2027-03-01 09:30" in problems[0].message


def test_rewrite_after_the_last_checkpoint_goes_unseen_by_it() -> None:
    entries = make_chain(6)
    checkpoint = {"chain": CHAIN, "seq": 3, "hash": entries[2]["hash"], "created_at": T0}
    entries[4]["payload"]["n"] = 99
    rehash_from(entries, 4)
    assert verify_entries(entries, [checkpoint]) == []


def test_only_the_earliest_problem_of_each_chain_is_reported() -> None:
    a = make_chain(6)
    b = make_chain(5, chain="530124103201")
    a[1]["payload"] = {"x": 1}
    a[4]["payload"] = {"x": 2}
    del b[2]
    problems = verify_entries(a + b)
    assert [(p.chain, p.seq, p.problem) for p in problems] == [(CHAIN, 2, "changed"), ("530124103201", 3, "deleted")]


def test_a_checkpoint_matching_the_chain_passes() -> None:
    entries = make_chain(5)
    checkpoints = [{"chain": CHAIN, "seq": s, "hash": entries[s - 1]["hash"], "created_at": T0} for s in (2, 5)]
    head = {"chain": CHAIN, "seq": 5, "hash": entries[-1]["hash"]}
    assert verify_entries(entries, checkpoints, heads=[head]) == []


def test_verifier_resumes_from_a_trusted_point() -> None:
    entries = make_chain(6)
    verifier = rules.ChainVerifier()
    verifier.start(CHAIN, 3, entries[2]["hash"])
    for entry in entries[3:]:
        verifier.feed(entry)
    assert verifier.finish() == []
    assert verifier.states[CHAIN].last_seq == 6


def test_every_problem_has_a_chinese_label() -> None:
    assert set(rules.PROBLEM_LABELS) == set(rules.PROBLEMS)


@pytest.mark.parametrize(
    "payload",
    [
        {"id": "53012419900101123X"},
        {"phone": "13812345678"},
        {"note": "电话13812345678"},
        {"big": 1e300},
        {"x": float("nan")},
        {"n": 2**60},
        {"when": datetime(2027, 1, 1, tzinfo=UTC)},
        ["not", "an", "object"],
        {"text": "长" * 5000},
    ],
)
def test_payloads_that_would_not_survive_or_leak_are_refused(payload: object) -> None:
    with pytest.raises(ValueError):
        rules.canonical_payload(payload)


def test_canonical_payload_keeps_masked_data() -> None:
    payload = {
        "subject": "张*丰",
        "id": "5301**********1234",
        "serial": "530124103200-2027-000001",
        "number": "530124199001011234",
        "amount": 1.5,
        "n": 3,
    }
    assert rules.canonical_payload(payload) == payload


def test_chain_codes() -> None:
    assert rules.valid_chain(CHAIN)
    assert not rules.valid_chain("53012410320")
    assert not rules.valid_chain("53012410320x")
    assert not rules.valid_chain("")


def _random_value(rng, depth: int = 0):  # type: ignore[no-untyped-def]
    alphabet = [
        "a",
        "Z",
        "0",
        " ",
        '"',
        "\\",
        "/",
        "\b",
        "\f",
        "\n",
        "\r",
        "\t",
        "\x00",
        "\x1f",
        "\x7f",
        "é",
        "张",
        "\u2028",
        "\ufeff",
        "\uffff",
        "😀",
        "𠀀",
    ]

    def text() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))

    kind = rng.randint(0, 7 if depth < 3 else 4)
    if kind == 0:
        return text()
    if kind == 1:
        return rng.choice([0, 1, -1, 2**53 - 1, -(2**53 - 1), 42, 10**15])
    if kind == 2:
        return rng.choice([True, False, None])
    if kind == 3:
        return rng.choice([0.5, -1.25, 1e21, 1e-7, 3.0, 0.1])
    if kind == 4:
        return text()
    if kind in (5, 6):
        return {text(): _random_value(rng, depth + 1) for _ in range(rng.randint(0, 5))}
    return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]


def test_canonical_json_fast_path_is_byte_identical_to_rfc8785() -> None:
    import random

    import rfc8785

    rng = random.Random(8785)
    for _ in range(3000):
        value = {"payload": _random_value(rng), "k": _random_value(rng)}
        assert rules.canonical_json(value) == rfc8785.dumps(value), value


def test_canonical_json_falls_back_for_keys_outside_the_bmp_and_floats() -> None:
    import rfc8785

    value = {"\U0001f600": 1, "\uffff": 2, "a": 0.1}  # UTF-16 order puts the emoji key before U+FFFF
    assert rules.canonical_json(value) == rfc8785.dumps(value)
    assert rules.canonical_json(value).index("😀".encode()) < rules.canonical_json(value).index("\uffff".encode())


def test_published_copies_are_parsed_from_the_api_shape_or_a_list() -> None:
    row = {"chain": CHAIN, "seq": 3, "hash": "a" * 64, "created_at": "2027-03-01T09:30:00+08:00"}
    assert rules.parse_published({"count": 1, "heads": [row]}) == [row]
    assert rules.parse_published([row]) == [row]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"items": []}, "heads"),
        ([1], "不是对象"),
        ([{"chain": "53", "seq": 1, "hash": "a" * 64}], "chain"),
        ([{"chain": CHAIN, "seq": 0, "hash": "a" * 64}], "seq"),
        ([{"chain": CHAIN, "seq": "1", "hash": "a" * 64}], "seq"),
        ([{"chain": CHAIN, "seq": 1, "hash": "A" * 64}], "hash"),
    ],
)
def test_bad_published_copies_are_refused_in_chinese(data: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        rules.parse_published(data)


def test_a_published_copy_catches_a_rewrite_the_table_no_longer_shows() -> None:
    entries = make_chain(5)
    saved = {"chain": CHAIN, "seq": 4, "hash": entries[3]["hash"], "created_at": "2027-03-02T09:00:00+08:00"}
    entries[0]["payload"] = {"rewritten": True}
    rehash_from(entries)
    forged_table = {"chain": CHAIN, "seq": 4, "hash": entries[3]["hash"], "created_at": T0}
    assert verify_entries(entries, [forged_table]) == []
    problems = verify_entries(entries, [forged_table, saved])
    assert only(problems)[1:] == (4, "checkpoint_mismatch")
    assert "2027-03-02 09:00" in problems[0].message


def test_digit_runs_inside_hex_digests_are_not_taken_for_phone_numbers():
    digest = "ab" + "13812345678" + "cd" * 25 + "ef"
    assert rules.canonical_payload({"document_sha256": digest}) == {"document_sha256": digest}


def test_a_phone_number_in_chinese_text_is_still_refused():
    with pytest.raises(ValueError):
        rules.canonical_payload({"note": "联系电话13812345678请回电"})
