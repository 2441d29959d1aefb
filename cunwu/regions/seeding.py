"""Loading the real divisions and generating village-level units for demos and benchmarks.

Yunnan has 14,888 village-level units under 1,461 townships; their names and codes are not in the
shared data, so they are generated deterministically (same seed, same villages) and marked as such.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from . import codes
from .models import Organisation, OrgKind, Region

DIVISIONS_CSV = Path(settings.BASE_DIR) / "data" / "yunnan-divisions.csv"
YUNNAN_VILLAGE_UNITS = 14_888
DEMO_COUNTY = "530124000000"  # 富民县
DEMO_TOWNSHIP = "530124103000"  # 罗免镇

_FIRST = "大小上下新老中东西南北前后河山坝营箐哨塘龙凤白黑石马花桥甸海湾田沟岩松竹梅兰平安和顺清水团结红旗"
_SECOND = "营村坝哨箐塘寨庄湾河山冲甸铺沟屯坡邑旗林口头坪场厂街子所堡"

COUNTY_DEPARTMENTS = (
    "县委组织部",
    "县民政局",
    "县公安局",
    "县人力资源和社会保障局",
    "县卫生健康局",
    "县应急管理局",
    "县农业农村局",
    "县自然资源局",
    "县市场监督管理局",
    "县教育体育局",
    "县退役军人事务局",
    "县医疗保障局",
    "县统计局",
    "县林业和草原局",
    "县人民武装部",
    "县残疾人联合会",
    "县妇女联合会",
    "县司法局",
    "县住房和城乡建设局",
    "县生态环境分局",
)


@dataclass(frozen=True)
class SeedResult:
    regions: int
    villages: int
    organisations: int


def load_divisions(path: Path = DIVISIONS_CSV) -> int:
    """Insert the province, prefectures, counties and townships that are not there yet."""
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    existing = set(Region.objects.values_list("code", flat=True))
    new = [
        Region(code=r["code"], name=r["name"], level=r["level"], parent_id=r["parent_code"] or None).fill_search_keys()
        for r in rows
        if r["code"] not in existing
    ]
    # Parents first: the CSV is ordered province → townships, and bulk_create keeps order.
    Region.objects.bulk_create(new, batch_size=2000)
    return len(new)


def _households(rng: random.Random) -> int:
    # Right-skewed around ~680 households: most villages a few hundred, some over two thousand.
    return max(60, min(4800, int(rng.lognormvariate(6.42, 0.45))))


def _names(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        name = rng.choice(_FIRST) + rng.choice(_SECOND)
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def village_org_names(short: str, level: str) -> list[tuple[str, str]]:
    """The four village organisations, in the wording of villages or of communities."""
    if level == codes.COMMUNITY:
        return [
            (OrgKind.PARTY, f"中共{short}社区委员会"),
            (OrgKind.COMMITTEE, f"{short}社区居民委员会"),
            (OrgKind.SUPERVISION, f"{short}社区居务监督委员会"),
            (OrgKind.COLLECTIVE, f"{short}社区股份经济合作社"),
        ]
    return [
        (OrgKind.PARTY, f"中共{short}村支部委员会"),
        (OrgKind.COMMITTEE, f"{short}村民委员会"),
        (OrgKind.SUPERVISION, f"{short}村务监督委员会"),
        (OrgKind.COLLECTIVE, f"{short}村股份经济合作社"),
    ]


def _plan_counts(townships: list[Region], total: int, rng: random.Random) -> list[tuple[int, int]]:
    """(communities, villages) per township summing to `total`; 街道 are mostly communities."""
    if total > 300 * len(townships):
        raise ValueError("too many village-level units for the codes available (001–399 per township)")
    base = [rng.randint(6, 14) for _ in townships]
    # At least two per township when there are enough to go round (fewer only in odd partial seeds).
    floor = 2 if total >= 2 * len(townships) else (1 if total >= len(townships) else 0)
    scale = total / sum(base)
    counts = [max(floor, round(b * scale)) for b in base]
    diff = total - sum(counts)
    i = 0
    while diff:
        step = 1 if diff > 0 else -1
        if counts[i % len(counts)] + step >= floor:
            counts[i % len(counts)] += step
            diff -= step
        i += 1
    plan = []
    for t, n in zip(townships, counts, strict=True):
        # 街道 are urban: mostly communities; townships have a community or two at most.
        communities = max(1, n - rng.randint(0, 2)) if t.name.endswith("街道") else rng.choice((0, 0, 1, 1, 2))
        communities = min(communities, n)
        plan.append((communities, n - communities))
    return plan


def generate_villages(townships: Iterable[Region], plan: list[tuple[int, int]], seed: int) -> SeedResult:
    """Create the planned communities (001–) and villages (200–) under each township, with orgs."""
    rng = random.Random(seed)
    regions: list[Region] = []
    orgs: list[Organisation] = []
    for township, (n_comm, n_vill) in zip(townships, plan, strict=True):
        stem = township.code[:9]
        names = _names(rng, n_comm + n_vill)
        for i in range(n_comm + n_vill):
            is_community = i < n_comm
            number = (1 + i) if is_community else (200 + i - n_comm)
            level = codes.COMMUNITY if is_community else codes.VILLAGE
            short = names[i]
            households = _households(rng)
            region = Region(
                code=f"{stem}{number:03d}",
                name=f"{short}社区居委会" if is_community else f"{short}村委会",
                level=level,
                parent_id=township.code,
                households=households,
                population=int(households * rng.uniform(2.9, 3.6)),
                generated=True,
            ).fill_search_keys()
            regions.append(region)
            for kind, name in village_org_names(short, level):
                orgs.append(
                    Organisation(region_id=region.code, name=name, short_name=name.replace(short, "", 1), kind=kind)
                )
    Region.objects.bulk_create(regions, batch_size=5000)
    Organisation.objects.bulk_create(orgs, batch_size=5000)
    return SeedResult(regions=len(regions), villages=len(regions), organisations=len(orgs))


def ensure_departments(county: Region) -> list[Organisation]:
    """The county's party and government bodies and its departments (党政群机构)."""
    prefix = county.name
    wanted = [(OrgKind.GOVERNMENT, f"中共{prefix}委员会"), (OrgKind.GOVERNMENT, f"{prefix}人民政府")]
    wanted += [(OrgKind.DEPARTMENT, prefix + d.removeprefix("县")) for d in COUNTY_DEPARTMENTS]
    existing = {o.name: o for o in Organisation.objects.filter(region=county)}
    for kind, name in wanted:
        if name not in existing:
            existing[name] = Organisation.objects.create(
                region=county, name=name, short_name=name.removeprefix(prefix), kind=kind
            )
    return [existing[n] for _, n in wanted]


def demo_plan(townships: list[Region], rng: random.Random) -> list[tuple[int, int]]:
    """4–8 units per township of the demo county; 罗免镇 has only villages (the demo accounts sit there)."""
    plan = []
    for t in townships:
        n = rng.randint(4, 8)
        if t.name.endswith("街道"):
            plan.append((max(1, n - 2), min(2, n - 1)))
        elif t.code == DEMO_TOWNSHIP:
            plan.append((0, n))
        else:
            plan.append((rng.choice((0, 1)), n - 1))
    return plan


def _townships_with_villages() -> set[str]:
    return set(Region.objects.filter(level__in=codes.VILLAGE_LEVELS).values_list("parent_id", flat=True).distinct())


@transaction.atomic
def seed_regions(scale: str, seed: int = 2027) -> SeedResult:
    """Idempotent: divisions are added when missing; villages are generated only where none exist.

    Both scales generate the demo county the same way (so the demo accounts find the same villages
    whichever scale ran first); "yunnan" then fills every other township up to 14,888 units.
    """
    loaded = load_divisions()
    have = _townships_with_villages()
    townships = list(Region.objects.filter(parent_id=DEMO_COUNTY, level=codes.TOWNSHIP).order_by("code"))
    plan = demo_plan(townships, random.Random(seed))
    todo = [(t, p) for t, p in zip(townships, plan, strict=True) if t.code not in have]
    result = generate_villages([t for t, _ in todo], [p for _, p in todo], seed)
    ensure_departments(Region.objects.get(code=DEMO_COUNTY))
    villages, orgs = result.villages, result.organisations
    if scale == "yunnan":
        have = _townships_with_villages()
        rest = [t for t in Region.objects.filter(level=codes.TOWNSHIP).order_by("code") if t.code not in have]
        missing = YUNNAN_VILLAGE_UNITS - Region.objects.filter(level__in=codes.VILLAGE_LEVELS).count()
        if rest and missing > 0:
            rng = random.Random(seed + 1)
            more = generate_villages(rest, _plan_counts(rest, missing, rng), seed + 1)
            villages, orgs = villages + more.villages, orgs + more.organisations
    return SeedResult(regions=loaded + villages, villages=villages, organisations=orgs)
