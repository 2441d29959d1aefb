"""Demo inventories: realistic plates, facilities and mechanisms for the demo county's villages.

The same generator feeds the province-wide benchmark (bench/bench_signs.py). Everything made here
is for demonstration: the villages themselves are generated (Region.generated).
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from django.db import transaction

from cunwu.regions import codes
from cunwu.regions.models import VILLAGE_LEVELS, Region
from cunwu.regions.seeding import DEMO_COUNTY

from .models import Facility, Mechanism, MechanismBasis, MechanismKind, Sign

# Plates commonly found before a clean-up that are not in catalog 3 （九）.
EXTRA_PLATES = (
    "综治中心",
    "禁毒工作站",
    "老年协会",
    "妇女之家",
    "儿童之家",
    "退役军人服务站",
    "网格化服务管理中心",
    "计划生育协会",
    "关心下一代工作委员会",
    "人大代表联络站",
    "法律援助工作站",
    "扶贫工作站",
    "红白理事会",
    "道德评议会",
    "乡村振兴工作站",
    "安全生产监督站",
    "应急管理服务站",
    "科普工作站",
)
# Awards and creation results, which belong on the display board （十）.
AWARDS = ("全国民主法治示范村", "省级文明村", "先进基层党组织", "卫生村", "乡村振兴示范村", "四星级党支部")
ROOMS = ("党员活动室", "村民议事室", "农家书屋", "人民调解室", "卫生室", "图书室", "档案室", "警务室", "老年活动室")
# Prefectures whose plates are often bilingual (Chinese with 傣文 or 彝文).
SCRIPT_SUFFIX = {"5328": " ᦂᦱᧃᦡᦲᧃ", "5331": " ᥖᥭᥰ ᥘᥣᥝ", "5323": " ꀉꂿꃅꌠ", "5325": " ꀉꂿꃅꌠ"}


def short_name(region_name: str) -> str:
    """大箐村委会 → 大箐, 中沟社区居委会 → 中沟."""
    for suffix in ("社区居委会", "社区居民委员会", "村委会", "村民委员会"):
        if region_name.endswith(suffix):
            return region_name[: -len(suffix)]
    return region_name


def plates_for(
    code: str, name: str, level: str, rng: random.Random, *, township: str = "", county: str = ""
) -> list[tuple[str, str]]:
    """A realistic set of plates for one village or community: (name as written, placement)."""
    v = short_name(name)
    unit = f"{v}社区" if level == codes.COMMUNITY else f"{v}村"
    suffix = SCRIPT_SUFFIX.get(code[:4], "") if rng.random() < 0.6 else ""
    plates: list[tuple[str, str]] = [
        (f"{unit}党群服务中心{suffix}", "exterior_mark"),
        (f"{unit}新时代文明实践站", "exterior_mark"),
    ]
    if rng.random() < 0.8:
        plates.append((f"{unit}便民服务站", "exterior_mark"))
    if level == codes.COMMUNITY:
        party = rng.choice([f"中共{v}社区委员会", f"中国共产党{county}{township}{v}社区委员会", f"{v}社区党委"])
        plates += [
            (party, "gate"),
            (f"{v}社区居民委员会{suffix}", "gate"),
            (f"{v}社区居务监督委员会", "gate"),
        ]
        if rng.random() < 0.5:
            plates.append((f"{v}社区股份经济合作社", "gate"))
    else:
        party = rng.choice(
            [
                f"中共{v}村支部委员会",
                f"中国共产党{county}{township}{v}村支部委员会",
                f"中共{v}村总支部委员会",
                f"{v}村党总支",
            ]
        )
        plates += [
            (party, "gate"),
            (f"{v}村民委员会{suffix}", "gate"),
            (f"{v}村务监督委员会", "gate"),
            (f"{v}村股份经济合作社", "gate"),
        ]
    plates += [("村级综合服务站", "interior"), ("服务指南", "interior")]
    plates += [(room, "interior") for room in rng.sample(ROOMS, rng.randint(2, 5))]
    for extra in rng.sample(EXTRA_PLATES, rng.choice((0, 1, 1, 2, 2, 3))):
        plates.append((rng.choice([extra, f"{unit}{extra}"]), rng.choice(("gate", "interior", "interior"))))
    if rng.random() < 0.25:
        plates.append((rng.choice(AWARDS), "gate"))
    if rng.random() < 0.15:
        plates.append((f"{v}村委会" if level == codes.VILLAGE else f"{v}社区居委会", "interior"))
    if rng.random() < 0.1:
        i = rng.randrange(len(plates))
        plates[i] = (plates[i][0], rng.choice([p for p in ("exterior_mark", "gate", "interior") if p != plates[i][1]]))
    return plates


def _facility(region: Region, rng: random.Random) -> Facility:
    households = region.households or 600
    area = Decimal(rng.choice((220, 280, 320, 360, 420, 520, 680)))
    share = [Decimal(x) for x in (0.18, 0.1, 0.1, 0.22, rng.choice((0.15, 0.25)), rng.choice((0.1, 0.2)))]
    zones = [(area * s).quantize(Decimal("1")) for s in share]
    return Facility(
        region=region,
        building_area=area,
        households=households,
        party_area=zones[0],
        deliberation_area=zones[1],
        training_area=zones[2],
        public_service_area=zones[3],
        residents_area=zones[4],
        office_area=zones[5],
        open_plan=rng.random() < 0.8,
        one_stop=rng.random() < 0.9,
    )


def _mechanisms(region: Region, rng: random.Random) -> list[Mechanism]:
    county = Region.objects.get(code=codes.prefix(region.code, codes.COUNTY) + "000000").name
    options = [
        (
            "人民调解委员会",
            MechanismKind.BRANCH,
            f"{county}司法局",
            MechanismBasis.LAW,
            "《中华人民共和国人民调解法》第八条",
            0,
        ),
        (
            "退役军人服务站",
            MechanismKind.STATION,
            f"{county}退役军人事务局",
            MechanismBasis.CENTRAL,
            "中办国办关于加强退役军人服务保障体系建设的意见",
            0,
        ),
        ("禁毒工作站", MechanismKind.STATION, f"{county}公安局", MechanismBasis.NONE, "", 1),
        ("综治中心", MechanismKind.CENTRE, f"中共{county}委员会政法委员会", MechanismBasis.NONE, "", 0),
        ("农村电商服务站", MechanismKind.STATION, f"{county}商务局", MechanismBasis.NONE, "", 1),
    ]
    chosen = rng.sample(options, rng.randint(2, 4))
    return [
        Mechanism(
            region=region,
            name=n,
            kind=k,
            department=d,
            basis_kind=b,
            basis=basis,
            dedicated_posts=posts,
            in_facility=rng.random() < 0.85,
        )
        for n, k, d, b, basis, posts in chosen
    ]


@transaction.atomic
def seed(scale: str, stdout: Any) -> None:
    """Inventories for the demo county's villages that have none yet (idempotent)."""
    if scale != "demo":
        return
    county = Region.objects.filter(code=DEMO_COUNTY).first()
    if county is None:
        return
    names = dict(
        Region.objects.filter(county.subtree_q()).exclude(level__in=VILLAGE_LEVELS).values_list("code", "name")
    )
    have = set(Sign.objects.filter(county.subtree_q("region_id")).values_list("region_id", flat=True).distinct())
    rng = random.Random(20270301)
    signs: list[Sign] = []
    facilities: list[Facility] = []
    mechanisms: list[Mechanism] = []
    villages = [
        v
        for v in Region.objects.filter(county.subtree_q(), level__in=VILLAGE_LEVELS).order_by("code")
        if v.code not in have
    ]
    for v in villages:
        township = names.get(v.parent_id or "", "")
        for name, placement in plates_for(v.code, v.name, v.level, rng, township=township, county=county.name):
            signs.append(
                Sign(region=v, name=name, placement=placement, put_up_by=rng.choice(("", "县民政局", "乡镇统一制作")))
            )
        if not Facility.objects.filter(region=v).exists():
            facilities.append(_facility(v, rng))
        mechanisms += _mechanisms(v, rng)
    Sign.objects.bulk_create(signs, batch_size=2000)
    Facility.objects.bulk_create(facilities, batch_size=2000)
    Mechanism.objects.bulk_create(mechanisms, batch_size=2000)
    stdout.write(
        f"机制牌子：{len(villages)} 个村（社区）新增牌子 {len(signs)} 块、设施 {len(facilities)} 个、工作机制 {len(mechanisms)} 个"
    )
