"""A fresh held-out set of county department forms for the overlap finder (issue 14), written before any run.

Written from how Yunnan county departments lay out the 报表 they send to villages, without looking at
`cunwu/reporting/compare.py`, `fields.py` or `cunwu/matching/` and without running any comparison on it, so
its first run is a figure on forms the code has never seen. Labels follow `bench/reporting_forms.py`: each
data column carries the datum it collects (`concept`, "parent>part" for a 其中 column) and the unit its
values are in; two columns of different forms are a true pair exactly when their concepts are equal, and
the unit factor follows from the two units. Concept names reuse those of TRAIN and HELD_OUT where the datum
is the same, so FRESH can also be compared together with them.

Written to be hard in the ways real forms are: one datum under different names (户籍人口 / 户籍总人口 /
总人口, 转移就业 / 外出务工, 生态护林员 / 护林员人数), units that differ (万元 / 元, 亩 / 公顷, 吨 / 千克,
人 / 万人), 其中 items that are not their totals, 户 / 人 / 人次 kept apart, and near-misses that must not
pair (listed in NEAR_MISSES). The one township-level form (水务, 万人) is as county summaries are sent.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations

from bench.reporting_forms import SERIAL, TOWNSHIP, VILLAGE, key, sign
from cunwu.reporting.tests.sheets import Col, FormSpec, Group

FRESH: list[FormSpec] = [
    FormSpec(
        "县民政局",
        "2027年第一季度农村低保及特困人员救助供养情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Group(
                "农村最低生活保障",
                (
                    Col("户数（户）", "dibao_hh", "户"),
                    Col("人数（人）", "dibao_pop", "人"),
                    Col("其中：未成年人（人）", "dibao_pop>minor", "人"),
                    Col("累计支出低保金（万元）", "dibao_money", "万元", type="decimal"),
                ),
            ),
            Group(
                "特困人员救助供养",
                (
                    Col("合计（人）", "tekun_pop", "人"),
                    Col("集中供养（人）", "tekun_central", "人"),
                    Col("分散供养（人）", "tekun_pop>scattered", "人"),
                ),
            ),
            Col("临时救助（人次）", "temp_aid", "人次"),
            sign("填报人"),
            sign("审核人"),
            sign("联系电话"),
        ],
    ),
    FormSpec(
        "县乡村振兴局",
        "防止返贫监测帮扶对象和脱贫人口基本情况月报表",
        [
            key("乡（镇）"),
            key("村（社区）"),
            Col("总户数", "hh_total", "户"),
            Col("总人口", "pop_total", "人"),
            Group("脱贫人口", (Col("户数", "tuopin_hh", "户"), Col("人数", "tuopin_pop", "人"))),
            Group("监测对象", (Col("户数", "monitor_hh", "户"), Col("人数", "monitor_pop", "人"))),
            Col("其中：已消除风险（户）", "monitor_hh>cleared", "户"),
            Col("监测对象纳入低保人数", "monitor_pop>dibao", "人"),
            Col("脱贫劳动力", "tuopin_labor", "人"),
            Col("脱贫人口务工就业人数", "tuopin_migrant", "人"),
            Col("脱贫人口人均纯收入（元）", "tuopin_income", "元", type="decimal"),
            sign("填表人"),
            sign("联系电话"),
        ],
        meta=["填报单位：          （盖章）", "单位：户、人"],
    ),
    FormSpec(
        "县卫生健康局",
        "村级人口和基本公共卫生服务情况统计表",
        [
            key("村委会"),
            Col("户籍人口（人）", "pop_total", "人"),
            Col("常住人口（人）", "pop_resident", "人"),
            Col("0-6岁儿童数（人）", "children06", "人"),
            Col("65周岁及以上老年人口（人）", "elderly65", "人"),
            Col("65岁以上老年人健康管理人数（人）", "elderly65_managed", "人"),
            Col("高血压患者规范管理人数（人）", "hypertension", "人"),
            Col("家庭医生签约人数（人）", "family_doctor", "人"),
            Col("本年出生（人）", "births", "人"),
            Col("本年死亡（人）", "deaths", "人"),
            sign("填报人"),
            sign("填报日期"),
        ],
        fmt="csv-gbk",
        meta=[],
    ),
    FormSpec(
        "县农业农村局",
        "2027年粮食生产和耕地利用情况统计表",
        [
            TOWNSHIP,
            VILLAGE,
            Col("耕地面积", "cultivated", "公顷", type="decimal", unit_cell="公顷"),
            Col("粮食作物播种面积", "grain_area", "公顷", type="decimal", unit_cell="公顷"),
            Col("其中：玉米播种面积", "grain_area>maize", "公顷", type="decimal", unit_cell="公顷"),
            Col("粮食总产量", "grain_output", "吨", type="decimal", unit_cell="吨"),
            Col("其中：玉米产量", "grain_output>maize", "吨", type="decimal", unit_cell="吨"),
            Col("烤烟种植面积", "tobacco_area", "亩", type="decimal", unit_cell="亩"),
            Col("土地流转面积", "land_transfer", "亩", type="decimal", unit_cell="亩"),
            Col("农业经营户", "farm_hh", "户", unit_cell="户"),
        ],
        unit_row=True,
    ),
    FormSpec(
        "县统计局",
        "农村基层统计年报表（村级基本情况）",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Group("户籍情况", (Col("总户数（户）", "hh_total", "户"), Col("户籍总人口（人）", "pop_total", "人"))),
            Col("常住人口（人）", "pop_resident", "人"),
            Col("乡村从业人员（人）", "employed_rural", "人"),
            Col("外出务工人员（人）", "migrant", "人"),
            Col("耕地面积（亩）", "cultivated", "亩", type="decimal"),
            Col("粮食播种面积（亩）", "grain_area", "亩", type="decimal"),
            Col("粮食产量（千克）", "grain_output", "千克", type="decimal"),
            Col("生猪年末存栏（头）", "pig_stock", "头"),
            Col("村集体经济收入（万元）", "collective_income", "万元", type="decimal"),
            Col("农村居民人均可支配收入（元）", "farmer_income", "元", type="decimal"),
        ],
        column_numbers=True,
        footer="单位负责人：        统计负责人：        填表人：        报出日期：",
    ),
    FormSpec(
        "县医疗保障局",
        "2027年度城乡居民基本医疗保险参保缴费进度表",
        [
            TOWNSHIP,
            key("村（社区）"),
            Col("户籍人口（人）", "pop_total", "人"),
            Col("应参保人数（人）", "medins_due", "人"),
            Col("已参保人数（人）", "medins_pop", "人"),
            Col("已缴费人数（人）", "medins_paid", "人"),
            Col("参保率（%）", "medins_rate", "%", type="percentage"),
            Group(
                "医疗救助资助参保",
                (
                    Col("低保对象（人）", "medins_aid>dibao", "人"),
                    Col("特困人员（人）", "medins_aid>tekun", "人"),
                    Col("监测对象（人）", "medins_aid>monitor", "人"),
                ),
            ),
            Col("家庭医生签约人数（人）", "family_doctor", "人"),
            sign("填表人"),
            sign("联系电话"),
        ],
    ),
    FormSpec(
        "县人力资源和社会保障局",
        "农村劳动力转移就业和城乡居民养老保险情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            key("村名"),
            Col("农村劳动力（人）", "labor", "人"),
            Col("其中：脱贫劳动力（人）", "tuopin_labor", "人"),
            Col("转移就业总人数（人）", "migrant", "人"),
            Col("其中：脱贫劳动力转移就业（人）", "tuopin_migrant", "人"),
            Group(
                "转移就业去向",
                (
                    Col("县内（人）", "migrant>county", "人"),
                    Col("省内县外（人）", "migrant>province", "人"),
                    Col("省外（人）", "migrant>outprovince", "人"),
                ),
            ),
            Col("劳务收入（万元）", "migrant_income", "万元", type="decimal"),
            Col("职业技能培训（人次）", "training", "人次"),
            Col("城乡居民养老保险参保人数（人）", "pension_pop", "人"),
            Col("领取养老金人数（人）", "pension_recv", "人"),
        ],
        column_numbers=True,
    ),
    FormSpec(
        "县退役军人事务局",
        "退役军人和其他优抚对象基本信息统计表",
        [
            key("乡镇（街道）"),
            key("村（社区）"),
            Col("退役军人总数（人）", "veterans", "人"),
            Col("其中：享受定期抚恤补助的（人）", "veterans>pension", "人"),
            Col("其中：困难退役军人（人）", "veterans_poor", "人"),
            Col("优抚对象（人）", "youfu", "人"),
            Col("其中：烈士遗属（人）", "youfu>martyr", "人"),
            Col("已悬挂光荣牌（户）", "plaque_hh", "户"),
            sign("联系人"),
            sign("联系电话"),
        ],
    ),
    FormSpec(
        "县应急管理局",
        "自然灾害情况统计表（村级）",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("受灾人口（人）", "disaster_pop", "人"),
            Col("紧急转移安置人口（人）", "relocated", "人"),
            Col("需紧急生活救助人口（人）", "urgent_aid", "人"),
            Col("农作物受灾面积（公顷）", "crop_damage", "公顷", type="decimal"),
            Col("其中：绝收面积（公顷）", "crop_damage>lost", "公顷", type="decimal"),
            Col("倒塌房屋（间）", "collapsed", "间"),
            Col("地质灾害隐患点（处）", "geohazard", "处"),
            Col("受威胁群众（人）", "threatened", "人"),
            Col("直接经济损失（元）", "disaster_loss", "元", type="decimal"),
            sign("填报人"),
            sign("审核人"),
        ],
    ),
    FormSpec(
        "县林业和草原局",
        "生态护林员选聘及森林资源管护情况表",
        [
            TOWNSHIP,
            VILLAGE,
            Col("生态护林员", "rangers", "人"),
            Col("其中：脱贫人口", "rangers>tuopin", "人"),
            Col("管护面积", "ranger_area", "亩", type="decimal"),
            Col("林地面积", "forest_area", "亩", type="decimal"),
            Col("森林覆盖率（%）", "forest_cover", "%", type="percentage"),
            Col("劳务补助资金", "ranger_pay", "元", type="decimal"),
            Col("森林火灾（起）", "forest_fires", "起"),
        ],
        meta=["填报单位：", "单位：人、亩、元"],
    ),
    FormSpec(
        "县教育体育局",
        "义务教育阶段控辍保学工作情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            key("村（社区）"),
            Col("6-15周岁适龄儿童少年数（人）", "school_age", "人"),
            Col("在校生数（人）", "enrolled", "人"),
            Col("失学辍学人数（人）", "dropout", "人"),
            Col("已劝返复学（人）", "dropout>returned", "人"),
            Col("送教上门（人）", "home_teaching", "人"),
            Col("农村留守儿童（人）", "leftbehind_child", "人"),
            Col("脱贫家庭学生（人）", "tuopin_students", "人"),
            sign("填报人"),
            sign("联系电话"),
        ],
    ),
    FormSpec(
        "县水务局",
        "农村供水保障情况统计表（分乡镇）",
        [
            SERIAL,
            key("乡（镇）"),
            Col("行政村数（个）", "villages_n", "个"),
            Col("农村户籍人口（万人）", "pop_total", "万人", type="decimal"),
            Col("集中供水受益人口（万人）", "water_pop", "万人", type="decimal"),
            Col("自来水普及率（%）", "water_rate", "%", type="percentage"),
            Col("农村集中供水率（%）", "water_central_rate", "%", type="percentage"),
            Col("供水工程（处）", "water_works", "处"),
            sign("填报人"),
        ],
        villages=("城关镇", "勐仑镇", "象明彝族乡"),
    ),
    FormSpec(
        "县残疾人联合会",
        "持证残疾人基本服务状况和需求信息汇总表",
        [
            key("村（社区）"),
            Col("持证残疾人（人）", "disabled", "人"),
            Group("其中", (Col("视力（人）", "disabled>visual", "人"), Col("肢体（人）", "disabled>limb", "人"))),
            Col("一、二级重度残疾人（人）", "disabled>severe", "人"),
            Col("纳入低保的残疾人（人）", "disabled>dibao", "人"),
            Col("困难残疾人生活补贴（人）", "subsidy_poor_pop", "人"),
            Col("重度残疾人护理补贴（人）", "subsidy_care_pop", "人"),
            Col("两项补贴发放金额（元）", "disabled_subsidy", "元", type="decimal"),
            sign("填报人"),
        ],
        fmt="csv-utf8",
        meta=[],
    ),
    FormSpec(
        "县民政局",
        "农村留守老年人和困境儿童关爱服务情况统计表",
        [
            SERIAL,
            key("乡镇（街道）"),
            key("村（居）委会"),
            Col("60周岁以上老年人（人）", "elderly60", "人"),
            Col("农村留守老年人（人）", "leftbehind_elderly", "人"),
            Col("农村留守儿童（人）", "leftbehind_child", "人"),
            Col("困境儿童（人）", "distressed_child", "人"),
            Col("其中：事实无人抚养儿童（人）", "distressed_child>unsupported", "人"),
            Col("探访关爱服务（人次）", "care_visits", "人次"),
            sign("填报人"),
            sign("联系电话"),
        ],
    ),
    FormSpec(
        "县自然资源局",
        "国土变更调查地类面积和地质灾害群测群防情况表",
        [
            TOWNSHIP,
            key("行政村"),
            Group(
                "地类面积（公顷）",
                (
                    Col("耕地", "cultivated", "公顷", type="decimal"),
                    Col("其中：永久基本农田", "cultivated>basic", "公顷", type="decimal"),
                    Col("林地", "forest_area", "公顷", type="decimal"),
                ),
            ),
            Col("地质灾害隐患点（个）", "geohazard", "个"),
            Col("威胁户数（户）", "threatened_hh", "户"),
            Col("威胁人数（人）", "threatened", "人"),
            Col("威胁财产（万元）", "threatened_property", "万元", type="decimal"),
            Col("群测群防员（名）", "monitors", "名"),
            sign("填报人"),
            sign("审核人"),
        ],
    ),
    FormSpec(
        "县委组织部",
        "村级组织建设和村集体经济发展情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("总户数（户）", "hh_total", "户"),
            Col("总人口（人）", "pop_total", "人"),
            Col("村“两委”干部（人）", "cadres", "人"),
            Col("党员人数（人）", "party_members", "人"),
            Col("村集体经济收入（元）", "collective_income", "元", type="decimal"),
            Col("其中：经营性收入（元）", "collective_income>operating", "元", type="decimal"),
            Col("村级组织运转经费（元）", "office_funds", "元", type="decimal"),
            sign("审核人"),
            sign("填报日期"),
        ],
    ),
    FormSpec(
        "县农业农村局",
        "农村人居环境整治和畜禽养殖情况统计表",
        [
            key("乡镇名称"),
            key("村委会名称"),
            Col("户籍户数（户）", "hh_total", "户"),
            Col("卫生户厕（户）", "toilets", "户"),
            Col("生猪存栏（头）", "pig_stock", "头"),
            Col("生猪出栏（头）", "pig_sold", "头"),
            Col("牛存栏（头）", "cattle_stock", "头"),
            Col("生活垃圾收运处置自然村（个）", "garbage_villages", "个"),
            sign("填报人"),
        ],
    ),
    FormSpec(
        "县人民政府办公室",
        "村情基本信息采集表",
        [
            TOWNSHIP,
            VILLAGE,
            Col("户籍户数（户）", "hh_total", "户"),
            Col("户籍人口（人）", "pop_total", "人"),
            Col("常住人口（人）", "pop_resident", "人"),
            Col("60岁以上老年人（人）", "elderly60", "人"),
            Col("耕地面积（亩）", "cultivated", "亩", type="decimal"),
            Col("林地面积（亩）", "forest_area", "亩", type="decimal"),
            Col("粮食总产量（吨）", "grain_output", "吨", type="decimal"),
            Group("低保", (Col("户数", "dibao_hh", "户"), Col("人数", "dibao_pop", "人"))),
            Col("特困供养人员（人）", "tekun_pop", "人"),
            Group("脱贫户", (Col("户数", "tuopin_hh", "户"), Col("人数", "tuopin_pop", "人"))),
            Group("监测户", (Col("户数", "monitor_hh", "户"), Col("人数", "monitor_pop", "人"))),
            Col("劳动力（人）", "labor", "人"),
            Col("外出务工人数（人）", "migrant", "人"),
            Col("党员（人）", "party_members", "人"),
            Col("持证残疾人（人）", "disabled", "人"),
            Col("退役军人（人）", "veterans", "人"),
            Col("集中供水受益人口（人）", "water_pop", "人"),
            Col("村集体经济收入（万元）", "collective_income", "万元", type="decimal"),
            Col("农村居民人均可支配收入（元）", "farmer_income", "元", type="decimal"),
            Col("备注", type="text"),
        ],
        meta=["填报单位（盖章）：", "填报日期：    年  月  日"],
    ),
]

# Pairs of data (concept, concept) that read alike but are different data: none must be found.
NEAR_MISSES: list[tuple[str, str]] = [
    ("dibao_pop", "tekun_pop"),
    ("dibao_hh", "dibao_pop"),
    ("dibao_pop", "dibao_pop>minor"),
    ("dibao_pop", "medins_aid>dibao"),
    ("tekun_pop", "medins_aid>tekun"),
    ("tekun_pop", "tekun_central"),
    ("tekun_pop", "tekun_pop>scattered"),
    ("monitor_pop", "medins_aid>monitor"),
    ("monitor_pop", "monitor_pop>dibao"),
    ("monitor_hh", "monitor_hh>cleared"),
    ("tuopin_hh", "monitor_hh"),
    ("tuopin_pop", "monitor_pop"),
    ("tuopin_hh", "tuopin_pop"),
    ("tuopin_pop", "tuopin_students"),
    ("tuopin_labor", "tuopin_migrant"),
    ("pop_total", "pop_resident"),
    ("hh_total", "pop_total"),
    ("hh_total", "farm_hh"),
    ("elderly60", "elderly65"),
    ("elderly65", "elderly65_managed"),
    ("cultivated", "grain_area"),
    ("grain_area", "crop_damage"),
    ("grain_area", "grain_area>maize"),
    ("grain_output", "grain_output>maize"),
    ("forest_area", "ranger_area"),
    ("medins_pop", "medins_paid"),
    ("medins_pop", "medins_due"),
    ("medins_due", "pop_total"),
    ("labor", "employed_rural"),
    ("migrant", "migrant>county"),
    ("migrant", "migrant>province"),
    ("migrant", "migrant>outprovince"),
    ("pension_pop", "pension_recv"),
    ("veterans", "veterans>pension"),
    ("veterans", "veterans_poor"),
    ("youfu", "youfu>martyr"),
    ("disaster_pop", "relocated"),
    ("disaster_pop", "urgent_aid"),
    ("school_age", "enrolled"),
    ("dropout", "dropout>returned"),
    ("disabled", "disabled>severe"),
    ("disabled>dibao", "disabled>severe"),
    ("subsidy_poor_pop", "subsidy_care_pop"),
    ("rangers", "rangers>tuopin"),
    ("water_rate", "water_central_rate"),
    ("water_pop", "pop_total"),
    ("collective_income", "collective_income>operating"),
    ("collective_income", "office_funds"),
    ("pig_stock", "pig_sold"),
    ("pig_stock", "cattle_stock"),
    ("hh_total", "toilets"),
    ("farmer_income", "tuopin_income"),
    ("threatened", "threatened_hh"),
    ("cultivated", "cultivated>basic"),
    ("elderly60", "leftbehind_elderly"),
    ("leftbehind_child", "distressed_child"),
    ("distressed_child", "distressed_child>unsupported"),
    ("labor", "tuopin_labor"),
    ("migrant", "tuopin_migrant"),
    ("party_members", "cadres"),
    ("disabled", "disabled>dibao"),
    ("veterans", "veterans_poor"),
]

# Each unit's size in a base unit of its kind (kept here so the truth does not come from the code measured); the true factor between two columns is size(a) / size(b):
# a value in a's unit × factor = the value in b's unit (万元 → 元: 10000; 公顷 → 亩: 15; 吨 → 千克: 1000).
UNIT_SIZE: dict[str, tuple[str, float]] = {
    "元": ("money", 1.0),
    "万元": ("money", 10_000.0),
    "亩": ("area", 1.0),
    "公顷": ("area", 15.0),
    "千克": ("mass", 1.0),
    "公斤": ("mass", 1.0),
    "吨": ("mass", 1_000.0),
    "人": ("people", 1.0),
    "名": ("people", 1.0),
    "万人": ("people", 10_000.0),
    "处": ("places", 1.0),  # 地质灾害隐患点（处） and （个） count the same points
    "个": ("places", 1.0),
}


def factor_in(sizes: dict[str, tuple[str, float]], unit_a: str | None, unit_b: str | None) -> float | None:
    """The factor between two labelled units in a table of sizes: a value in unit a × factor = in unit b
    (None when the units measure different things or one is not in the table)."""
    if unit_a == unit_b:
        return 1.0
    if unit_a not in sizes or unit_b not in sizes:
        return None
    (kind_a, size_a), (kind_b, size_b) = sizes[unit_a], sizes[unit_b]
    return size_a / size_b if kind_a == kind_b else None


def pairs_by_concept(
    specs: list[FormSpec], factor: Callable[[str | None, str | None], float | None]
) -> dict[tuple[tuple[int, int], tuple[int, int]], float | None]:
    """Every pair of columns of different forms labelled with the same datum, with its true unit factor."""
    truth: dict[tuple[tuple[int, int], tuple[int, int]], float | None] = {}
    for (i, a), (j, b) in combinations(enumerate(specs), 2):
        for ci, ca in enumerate(a.flat()):
            for cj, cb in enumerate(b.flat()):
                if ca.concept and ca.concept == cb.concept:
                    truth[((i, ci), (j, cj))] = factor(ca.unit, cb.unit)
    return truth


def true_factor(unit_a: str | None, unit_b: str | None) -> float | None:
    """The factor between two labelled units, independent of the code measured (None when unrelated)."""
    return factor_in(UNIT_SIZE, unit_a, unit_b)


def true_pairs(specs: list[FormSpec]) -> dict[tuple[tuple[int, int], tuple[int, int]], float | None]:
    """Every pair of columns of different forms labelled with the same datum, with its true unit factor."""
    return pairs_by_concept(specs, true_factor)
