"""Reading catalogs: the catalog in force for a region on a date, a matcher over it, history and changes.

Approved catalogs are public （二）（十六）, so those reads are not scoped. Drafts are read only
through `revision_list_for` / `revision_get_for`, which show them to the editors and approvers
of that level and nobody else.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.accounts.selectors import regions_in_scope
from cunwu.errors import NotFound
from cunwu.regions import codes
from cunwu.regions.selectors import region_get, region_names

from . import kinds, rules
from .models import LexiconEntry, LexiconStatus, MissedPhrasing, Op, Revision, RevisionStatus, Statement

if TYPE_CHECKING:
    from cunwu.matching import Matcher
    from cunwu.matching.lexicon import Lexicon
    from cunwu.regions.models import Region

# Scores from the shared matcher below this do not count as a search hit (ranked list, `q`).
SEARCH_THRESHOLD = 0.2


@dataclass(frozen=True)
class RevisionRef:
    id: int
    change: str
    document: str
    effective: date


@dataclass(frozen=True)
class CatalogItem:
    """An item as it stands in force: its content, the level that set it, the revision it came from."""

    kind: str
    code: str
    name: str
    aliases: tuple[str, ...]
    category: str
    basis: str
    source: str
    defined_by: str
    revision: RevisionRef
    fields: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    def values(self) -> dict[str, Any]:
        """The item as a flat mapping keyed by CSV column names (for rules and exports)."""
        return {
            "code": self.code,
            "name": self.name,
            "aliases": list(self.aliases),
            "category": self.category,
            "basis": self.basis,
            "source": self.source,
            **self.fields,
        }

    @property
    def is_example(self) -> bool:
        """Loaded from the example catalogs, not yet replaced by an official one."""
        return self.revision.document == EXAMPLE_DOCUMENT

    def as_api(self) -> dict[str, Any]:
        """The item as DESIGN.md §4 shapes it: common fields, revision, the kind's own fields."""
        out: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "aliases": list(self.aliases),
            "category": self.category or None,
            "basis": self.basis,
            "source": self.source or None,
            "defined_by": self.defined_by,
            "revision": {
                "change": self.revision.change,
                "document": self.revision.document,
                "effective": self.revision.effective.isoformat(),
            },
        }
        if self.kind == kinds.CERT_FORBIDDEN:
            out["alternative"] = {
                "kind": self.fields.get("alternative_kind") or None,
                "agency": self.fields.get("alternative_agency") or None,
                "text": self.fields.get("alternative_text") or None,
            }
        else:
            for spec in kinds.KIND_FIELDS[self.kind]:
                if spec.key == "category":
                    continue
                value = self.fields.get(spec.key)
                if spec.type == "list":
                    value = list(value or [])
                elif spec.type == "int":
                    value = int(value) if value not in (None, "") else None
                else:
                    value = value or None
                out[spec.key] = value
        return out


EXAMPLE_DOCUMENT = "示例目录"


def defining_regions(region: Region) -> list[str]:
    """Codes of the levels whose statements apply to a region: province, prefecture, county."""
    wanted = []
    for level in (codes.PROVINCE, codes.PREFECTURE, codes.COUNTY):
        if codes.PREFIX_LENGTH[level] <= codes.PREFIX_LENGTH[region.level]:
            p = codes.prefix(region.code, level)
            wanted.append(p + "0" * (12 - len(p)))
    return wanted


# ---------------------------------------------------------------------------- cache

# Every approval changes the generation, so cached catalogs are rebuilt after each publication.
# The generation itself is re-read at most once per GENERATION_TTL seconds per process: another
# process's approval shows here within that time (effective dates are whole days anyway).
GENERATION_TTL = 1.0
_cache: dict[tuple[Any, ...], Any] = {}
_cache_lock = threading.Lock()
_CACHE_MAX = 2048
_generation_memo: list[Any] = [None, 0.0]
_names: dict[str, str] = {}


def _generation() -> tuple[int, int, int]:
    now = time.monotonic()
    memo, fetched = _generation_memo
    if memo is not None and now - fetched < GENERATION_TTL:
        return memo
    agg = Revision.objects.filter(status=RevisionStatus.APPROVED).aggregate(m=Max("id"), t=Max("approved_at"))
    stamp = int(agg["t"].timestamp() * 1000) if agg["t"] else 0
    # Approved lexicon entries only ever add up, so their number changes with every approval.
    words = LexiconEntry.objects.filter(status=LexiconStatus.APPROVED).count()
    value = (agg["m"] or 0, stamp, words)
    _generation_memo[:] = [value, now]
    return value


def _cached(key: tuple[Any, ...], build: Any) -> Any:
    value = _cache.get(key)
    if value is None:
        value = build()
        with _cache_lock:
            if len(_cache) >= _CACHE_MAX:
                _cache.clear()
            _cache[key] = value
    return value


def clear_cache() -> None:
    """Forget cached catalogs and matchers (called on every approval and between tests)."""
    with _cache_lock:
        _cache.clear()
        _names.clear()
        _regions.clear()
        _generation_memo[:] = [None, 0.0]


# ---------------------------------------------------------------------------- catalog in force


def _ordered(statements: Sequence[Statement]) -> list[Statement]:
    # Python ordering: approved_at is null for a previewed draft, which sorts last on its date.
    latest = datetime.max.replace(tzinfo=None)

    def key(s: Statement) -> tuple[date, datetime, int]:
        at = s.revision.approved_at
        return (s.revision.effective, at.replace(tzinfo=None) if at else latest, s.revision_id)

    return sorted(statements, key=key)


def _statements(
    kind: str, chain: Sequence[str], at: date, *, include: int | None = None, exclude: int | None = None
) -> list[Statement]:
    visible = Q(revision__status=RevisionStatus.APPROVED)
    if include is not None:
        visible |= Q(revision_id=include)
    qs = Statement.objects.filter(visible, kind=kind, revision__region_id__in=chain, revision__effective__lte=at)
    if exclude is not None:
        qs = qs.exclude(revision_id=exclude)
    return _ordered(list(qs.select_related("revision")))


def _winners(statements: Sequence[Statement], chain: Sequence[str]) -> dict[str, Statement]:
    """The statement in force per code: latest per level, then the most local level wins."""
    depth = {code: i for i, code in enumerate(chain)}
    latest: dict[tuple[int, str], Statement] = {}
    for s in statements:
        latest[(depth[s.revision.region_id], s.code)] = s
    winner: dict[str, Statement] = {}
    for (_, code), s in sorted(latest.items()):
        winner[code] = s
    return winner


def _item(kind: str, s: Statement) -> CatalogItem:
    r = s.revision
    return CatalogItem(
        kind=kind,
        code=s.code,
        name=s.name,
        aliases=tuple(s.aliases or ()),
        category=s.category,
        basis=s.basis,
        source=s.source,
        defined_by=r.region_id,
        revision=RevisionRef(r.id, r.change, r.document, r.effective),
        fields=dict(s.fields or {}),
    )


def _compute(
    kind: str, chain: tuple[str, ...], at: date, *, include: int | None = None, exclude: int | None = None
) -> tuple[CatalogItem, ...]:
    winners = _winners(_statements(kind, chain, at, include=include, exclude=exclude), chain)
    items = [_item(kind, s) for s in winners.values() if s.op != Op.WITHDRAW]
    return tuple(sorted(items, key=lambda i: code_key(i.code)))


def code_key(code: str) -> tuple[str, int, str]:
    """Natural order of codes: D2 before D10."""
    head = code.rstrip("0123456789")
    tail = code[len(head) :]
    return (head, int(tail) if tail.isdigit() else 0, code)


def _check_kind(kind: str) -> None:
    if kind not in kinds.KINDS:
        raise NotFound(f"没有名为“{kind}”的目录。可选：{'、'.join(kinds.KINDS)}。", "unknown_kind")


def catalog_in_force(kind: str, region: Region, at: date | None = None) -> tuple[CatalogItem, ...]:
    """The catalog of `kind` that applies to `region` on `at` (default today, Asia/Shanghai)."""
    _check_kind(kind)
    at = at or timezone.localdate()
    chain = tuple(defining_regions(region))
    return _cached(("items", kind, chain, at, _generation()), lambda: _compute(kind, chain, at))


def catalog_item_get(kind: str, region: Region, code: str, at: date | None = None) -> CatalogItem:
    for item in catalog_in_force(kind, region, at):
        if item.code == code:
            return item
    raise NotFound(f"{kinds.KIND_SHORT.get(kind, kind)}中没有编码为 {code} 的事项。", "unknown_item")


def catalog_matcher(
    kind_list: Sequence[str], region: Region, at: date | None = None
) -> tuple[Matcher, dict[tuple[str, str], CatalogItem]]:
    """A matcher over the items of several catalogs in force, and the items by (kind, code)."""
    from cunwu.matching import Entry, Matcher

    at = at or timezone.localdate()
    chain = tuple(defining_regions(region))

    def build() -> tuple[Matcher, dict[tuple[str, str], CatalogItem]]:
        by_key: dict[tuple[str, str], CatalogItem] = {}
        entries = []
        for kind in kind_list:
            for item in catalog_in_force(kind, region, at):
                by_key[(kind, item.code)] = item
                entries.append(Entry(code=item.code, name=item.name, aliases=item.aliases, kind=kind))
        return Matcher(entries, lexicon_in_force(at)), by_key

    return _cached(("matcher", tuple(kind_list), chain, at, _generation()), build)


def lexicon_in_force(at: date) -> Lexicon:
    """The shipped lexicon plus the entries province admins approved, in force on `at`."""
    from cunwu.matching.lexicon import Lexicon, LexiconRow, load_seed

    seed = load_seed()
    added = LexiconEntry.objects.filter(status=LexiconStatus.APPROVED, effective__lte=at).order_by("id")
    if not added.exists():
        return seed
    # Approved entries come first so that they win over a seed reading of the same phrase.
    rows = [LexiconRow(e.phrase, e.canonical, e.note) for e in added]
    return Lexicon.of([*rows, *seed.rows])


def catalog_search(kind: str, region: Region, at: date | None, q: str) -> list[CatalogItem]:
    """Items matching `q`, best first: the shared matcher on names and aliases （十一）, then the
    items whose code, basis, agency or other text contains `q` literally."""
    items = catalog_in_force(kind, region, at)
    q = (q or "").strip()
    if not q:
        return list(items)
    matcher, by_key = catalog_matcher([kind], region, at)
    found: dict[str, CatalogItem] = {}
    needle = q.lower()
    for item in items:
        if item.code.lower() == needle:
            found[item.code] = item
    for c in matcher.match(q, limit=max(len(items), 1)):
        if c.score >= SEARCH_THRESHOLD:
            found.setdefault(c.code, by_key[(kind, c.code)])
    for item in items:
        if item.code not in found and needle in _search_text(item):
            found[item.code] = item
    return list(found.values())


def _search_text(item: CatalogItem) -> str:
    parts = [item.code, item.name, *item.aliases, item.category, item.basis, item.source]
    parts += [kinds.field_label(k, v) for k, v in item.fields.items()]
    return "\n".join(parts).lower()


# Public catalog reads name a region on every request; the division tree changes rarely, so a found
# region is kept for REGION_TTL seconds per process (misses are never kept).
REGION_TTL = 60.0
_regions: dict[str, tuple[float, Region]] = {}


def region_cached(code: str) -> Region:
    """regions.selectors.region_get (422 malformed, 404 unknown), remembered for a minute."""
    now = time.monotonic()
    held = _regions.get(code)
    if held is not None and now - held[0] < REGION_TTL:
        return held[1]
    region = region_get(code)
    with _cache_lock:
        if len(_regions) > 20_000:
            _regions.clear()
        _regions[code] = (now, region)
    return region


def region_name(code: str) -> str:
    """The name of a defining level (云南省, 昆明市, 富民县), cached; the code if unknown."""
    name = _names.get(code)
    if name is None:
        name = region_names([code]).get(code) or code
        _names[code] = name
    return name


# ---------------------------------------------------------------------------- history and changes


@dataclass(frozen=True)
class HistoryEntry:
    """One statement about an item, by one level, in one revision; `current` marks the one in force."""

    statement: Statement
    revision: Revision
    level_name: str
    changed: list[str]
    current: bool

    @property
    def pending(self) -> bool:
        return self.revision.status != RevisionStatus.APPROVED


def item_history(
    kind: str, region: Region, code: str, *, user: Any = None, at: date | None = None
) -> list[HistoryEntry]:
    """Every approved statement about one item at the levels that apply to `region`, oldest first.

    Drafts appear too when `user` may edit or approve at their level (staff history pages).
    """
    _check_kind(kind)
    chain = defining_regions(region)
    visible = Q(revision__status=RevisionStatus.APPROVED)
    if user is not None:
        visible |= Q(revision__status=RevisionStatus.DRAFT) & _editor_q(user, "revision__region_id")
    rows = _ordered(
        list(
            Statement.objects.filter(visible, kind=kind, code=code, revision__region_id__in=chain).select_related(
                "revision", "revision__region", "revision__drafted_by", "revision__approved_by"
            )
        )
    )
    at = at or timezone.localdate()
    approved_due = [s for s in rows if s.revision.status == RevisionStatus.APPROVED and s.revision.effective <= at]
    winner = _winners(approved_due, chain).get(code)
    out: list[HistoryEntry] = []
    previous: Statement | None = None
    for s in rows:
        changed: list[str] = []
        if previous is not None and s.op == Op.SET and previous.op == Op.SET:
            changed = [rules.FIELD_HEADERS.get(k, k) for k in rules.changed_fields(kind, _values(previous), _values(s))]
        out.append(
            HistoryEntry(
                s,
                s.revision,
                s.revision.region.name,
                changed,
                winner is not None and s.pk == winner.pk and s.op == Op.SET,
            )
        )
        if s.revision.status == RevisionStatus.APPROVED:
            previous = s
    return out


def _values(s: Statement) -> dict[str, Any]:
    return {
        "code": s.code,
        "name": s.name,
        "aliases": s.aliases,
        "category": s.category,
        "basis": s.basis,
        "source": s.source,
        **(s.fields or {}),
    }


@dataclass(frozen=True)
class Comparison:
    """The catalog on two dates side by side: added, withdrawn, changed (old, new, field headers)."""

    kind: str
    before: date
    after: date
    added: list[CatalogItem]
    withdrawn: list[CatalogItem]
    changed: list[tuple[CatalogItem, CatalogItem, list[str]]]
    unchanged: int

    @property
    def empty(self) -> bool:
        return not (self.added or self.withdrawn or self.changed)


def catalog_compare(kind: str, region: Region, before: date, after: date) -> Comparison:
    """Compare the catalog in force for `region` on two dates （二）: what was added, changed, withdrawn."""
    old = {i.code: i for i in catalog_in_force(kind, region, before)}
    new = {i.code: i for i in catalog_in_force(kind, region, after)}
    diff = rules.compare_catalogs(
        kind, {c: i.values() for c, i in old.items()}, {c: i.values() for c, i in new.items()}
    )
    changed = [(old[c], new[c], [rules.FIELD_HEADERS.get(k, k) for k in fields]) for c, fields in diff.changed]
    # An item re-stated by another revision with the same wording is not a change for readers.
    same = len(new) - len(diff.added) - len(changed)
    return Comparison(
        kind, before, after, [new[c] for c in diff.added], [old[c] for c in diff.withdrawn], changed, same
    )


@dataclass(frozen=True)
class Effect:
    """What one statement of a revision does where it applies, against the catalog just before it."""

    statement: Statement
    current: CatalogItem | None
    effect: str
    changed: list[str]

    @property
    def label(self) -> str:
        return rules.EFFECT_LABELS[self.effect]

    @property
    def facts(self) -> list[tuple[str, str]]:
        """The statement's own kind fields, labelled (placement and alternative kinds in Chinese)."""
        out = []
        for spec in kinds.KIND_FIELDS[self.statement.kind]:
            text = kinds.field_label(spec.key, (self.statement.fields or {}).get(spec.key))
            if spec.key != "category" and text:
                out.append((spec.header, text))
        procedure = rules.procedure_text((self.statement.fields or {}).get(kinds.PROCEDURE.key))
        if procedure:
            out.append((kinds.PROCEDURE.header, procedure))
        return out


def revision_effects(revision: Revision) -> list[Effect]:
    """Each statement of `revision` with the item it replaces at its level on its effective date."""
    chain = tuple(defining_regions(revision.region))
    before = {i.code: i for i in _compute(revision.kind, chain, revision.effective, exclude=revision.pk)}
    out = []
    statements = sorted(revision.statements.all(), key=lambda s: code_key(s.code))
    for s in statements:
        current = before.get(s.code)
        values = _values(s)
        same = current is not None and rules.content_of(revision.kind, current.values()) == rules.content_of(
            revision.kind, values
        )
        effect = rules.statement_effect(
            op=s.op,
            same_content=same,
            current_defined_by=current.defined_by if current else None,
            level_code=revision.region_id,
        )
        changed = []
        if current is not None and s.op == Op.SET:
            changed = [
                rules.FIELD_HEADERS.get(k, k) for k in rules.changed_fields(revision.kind, current.values(), values)
            ]
        out.append(Effect(s, current, effect, changed))
    return out


def catalog_preview(revision: Revision) -> tuple[CatalogItem, ...]:
    """The catalog at the revision's level on its effective date as it would be once approved."""
    chain = tuple(defining_regions(revision.region))
    return _compute(revision.kind, chain, revision.effective, include=revision.pk)


# ---------------------------------------------------------------------------- revisions


def _editor_q(user: Any, field: str) -> Q:
    scope = scope_for(user)
    return scope.region_q(field, Perm.CATALOG_EDIT) | scope.region_q(field, Perm.CATALOG_APPROVE)


def _with_counts(qs: QuerySet[Revision]) -> QuerySet[Revision]:
    return qs.select_related("region", "drafted_by", "approved_by").annotate(
        item_count=Count("statements"),
        withdraw_count=Count("statements", filter=Q(statements__op=Op.WITHDRAW)),
    )


def revision_list_for(
    user: Any, *, kind: str = "", region_code: str = "", status: str = "", limit: int = 200
) -> list[Revision]:
    """Revisions the user may see, newest first: approved ones everywhere (they are public),
    drafts and discarded ones only at the levels where the user edits or approves catalogs."""
    visible = Q(status=RevisionStatus.APPROVED) | _editor_q(user, "region_id")
    qs = Revision.objects.filter(visible)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if region_code:
        qs = qs.filter(region_id=region_code)
    return list(_with_counts(qs).order_by("-created_at", "-id")[:limit])


def revision_get_for(user: Any, pk: int) -> Revision:
    """One revision: approved ones for anyone; drafts only for the editors and approvers of that level."""
    visible = Q(status=RevisionStatus.APPROVED) | _editor_q(user, "region_id")
    revision = _with_counts(Revision.objects.filter(visible, pk=pk)).first()
    if revision is None:
        raise NotFound("找不到该目录修订，或不在您的管辖范围内。", "unknown_revision")
    return revision


def revision_public_get(pk: int) -> Revision:
    """An approved revision, for the public disclosure pages."""
    revision = _with_counts(Revision.objects.filter(pk=pk, status=RevisionStatus.APPROVED)).first()
    if revision is None:
        raise NotFound("找不到该目录调整记录。", "unknown_revision")
    return revision


def revisions_affecting(region: Region, *, kind: str = "", limit: int = 200) -> list[Revision]:
    """Approved revisions of the levels that apply to `region`, latest effective date first （二）."""
    qs = Revision.objects.filter(status=RevisionStatus.APPROVED, region_id__in=defining_regions(region))
    if kind:
        qs = qs.filter(kind=kind)
    return list(_with_counts(qs).order_by("-effective", "-approved_at", "-id")[:limit])


def revisions_awaiting(user: Any) -> QuerySet[Revision]:
    """Drafts the user may approve: in their approval scope and drafted by someone else."""
    scope = scope_for(user)
    return Revision.objects.filter(
        scope.region_q("region_id", Perm.CATALOG_APPROVE), status=RevisionStatus.DRAFT
    ).exclude(drafted_by=user)


def editable_regions(user: Any) -> list[Region]:
    """The defining levels (province, prefecture, county) where the user may draft revisions."""
    levels = (codes.PROVINCE, codes.PREFECTURE, codes.COUNTY)
    # A county admin edits the county; a prefecture admin the prefecture and its counties.
    return regions_in_scope(user, Perm.CATALOG_EDIT, levels=levels, limit=400)


# ---------------------------------------------------------------------------- missed phrasings


def phrasing_list_for(user: Any, status: str = "") -> QuerySet[MissedPhrasing]:
    """The queue of phrasings triage missed (masked text, province-wide), most frequent first."""
    if not scope_for(user).has(Perm.CATALOG_EDIT):
        return MissedPhrasing.objects.none()
    qs = MissedPhrasing.objects.select_related("revision", "resolved_by")
    return qs.filter(status=status) if status else qs


def phrasing_get_for(user: Any, pk: int) -> MissedPhrasing:
    found = phrasing_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该写法。")
    return found


def lexicon_entries_for(user: Any) -> QuerySet[LexiconEntry]:
    """Lexicon entries added by province admins (drafts first), for the queue page."""
    if not scope_for(user).has(Perm.CATALOG_EDIT):
        return LexiconEntry.objects.none()
    return LexiconEntry.objects.select_related("proposed_by").order_by("-status", "-created_at")
