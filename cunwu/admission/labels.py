"""Admission's label table: every code of this app shown to people, in their words.

Templates write `{{ code|label:"admission" }}` (cunwu.pagetext); a code missing here would show as
it is, and cunwu/tests/test_visible_text.py fails on it.
"""

from __future__ import annotations

from cunwu.catalogs import kinds

from . import rules

OUTCOMES = {
    rules.IN_CATALOG: "清单内事项",
    rules.NEEDS_REVIEW: "须县级审查",
    rules.REJECTED: "不予通过",
}
EFFECTS = {
    rules.REJECT: "违反即不予通过",
    rules.REDIRECT: "转入专门渠道由县级审查",
}
MATCH_KINDS = {kind: kinds.KIND_SHORT[kind] for kind in (kinds.DUTY, kinds.ASSIST)}

LABELS: dict[str, str] = {
    **OUTCOMES,
    **EFFECTS,
    **MATCH_KINDS,
    **{rule: spec.label for rule, spec in rules.RULES.items()},
}
