"""A labelled set of county department forms for the form reader and the overlap finder.

Each data column carries the datum it collects (`concept`; "parent>part" for a 其中 column) and the
unit its values are in, so the true overlaps and unit factors follow from the labels. Two halves:
TRAIN (TRAIN_FIRST + SEEN + WIDER + WIDER_PROBE, used to tune `cunwu/reporting/fields.py`,
`data/lexicon/form_fields.csv` and `compare.THRESHOLD`) and HELD_OUT (written after tuning on TRAIN,
measured once, then looked at and tuned on — see docs/benchmarks.md for the history). Layouts vary as real forms do: two-level
merged headers, units in brackets, in a unit row or in a "单位：" line, 栏次 rows, CSV in GBK.
"""

from __future__ import annotations

from cunwu.reporting.tests.sheets import Col, FormSpec, Group

SERIAL = Col("序号", role="serial")
TOWNSHIP = Col("乡镇", role="key", type="text")
VILLAGE = Col("村委会", role="key", type="text")


def key(header: str) -> Col:
    return Col(header, role="key", type="text")


def sign(header: str) -> Col:
    return Col(header, role="signature", type="text")


TRAIN_FIRST: list[FormSpec] = [
    FormSpec(
        "县民政局",
        "2027年农村低保、特困供养对象统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Group(
                "农村低保",
                (
                    Col("户数（户）", "dibao_hh", "户"),
                    Col("人数（人）", "dibao_pop", "人"),
                    Col("保障金（万元）", "dibao_money", "万元", type="decimal"),
                ),
            ),
            Col("特困供养人数（人）", "tekun_pop", "人"),
            Col("其中：分散供养（人）", "tekun_pop>scattered", "人"),
            Col("临时救助（人次）", "temp_aid", "人次"),
            sign("填报人"),
            sign("联系电话"),
        ],
    ),
    FormSpec(
        "县乡村振兴局",
        "脱贫人口和防返贫监测对象基本情况统计表",
        [
            SERIAL,
            key("乡（镇）"),
            key("行政村"),
            Col("总户数（户）", "hh_total", "户"),
            Col("总人口（人）", "pop_total", "人"),
            Group("脱贫户", (Col("户数", "tuopin_hh", "户"), Col("人数", "tuopin_pop", "人"))),
            Group("防返贫监测对象", (Col("户数", "monitor_hh", "户"), Col("人数", "monitor_pop", "人"))),
            Col("其中：纳入低保人数（人）", "monitor_pop>dibao", "人"),
            Col("外出务工人数（人）", "migrant", "人"),
            Col("备注", type="text"),
        ],
    ),
    FormSpec(
        "县卫生健康局",
        "村级人口与健康服务情况统计表",
        [
            key("村名"),
            Col("常住人口（人）", "pop_resident", "人"),
            Col("60岁及以上老年人（人）", "elderly60", "人"),
            Col("出生人数", "births", "人"),
            Col("死亡人数", "deaths", "人"),
            Col("家庭医生签约人数（人）", "family_doctor", "人"),
            Col("孕产妇人数", "pregnant", "人"),
            sign("填报人"),
            sign("填报日期"),
        ],
        fmt="csv-gbk",
        meta=[],
    ),
    FormSpec(
        "县农业农村局",
        "2027年农业生产情况统计表",
        [
            TOWNSHIP,
            VILLAGE,
            Col("耕地面积", "cultivated", "亩", type="decimal", unit_cell="亩"),
            Col("粮食播种面积", "grain_area", "亩", type="decimal", unit_cell="亩"),
            Col("粮食产量", "grain_output", "吨", type="decimal", unit_cell="吨"),
            Col("生猪存栏", "pig_stock", "头", unit_cell="头"),
            Col("牛存栏", "cattle_stock", "头", unit_cell="头"),
            Col("村集体经济收入", "collective_income", "万元", type="decimal", unit_cell="万元"),
            Col("农村居民人均可支配收入", "farmer_income", "元", type="decimal", unit_cell="元"),
        ],
        unit_row=True,
    ),
    FormSpec(
        "县人力资源和社会保障局",
        "农村劳动力转移就业及社会保险情况表",
        [
            SERIAL,
            TOWNSHIP,
            key("村"),
            Col("劳动力人数（人）", "labor", "人"),
            Col("转移就业人数（人）", "migrant", "人"),
            Col("其中：县外就业（人）", "migrant>outside", "人"),
            Col("职业技能培训（人次）", "training", "人次"),
            Col("城乡居民养老保险参保人数（人）", "pension_pop", "人"),
        ],
        column_numbers=True,
    ),
    FormSpec(
        "县退役军人事务局",
        "退役军人及优抚对象情况统计表",
        [
            SERIAL,
            key("村（社区）"),
            Col("退役军人人数（人）", "veterans", "人"),
            Col("其中：享受定期抚恤补助（人）", "veterans>pension", "人"),
            Col("优抚对象（人）", "youfu", "人"),
            Col("是否建立退役军人服务站（是/否）", "vet_station", type="yesno"),
            sign("联系人"),
            sign("联系电话"),
        ],
    ),
    FormSpec(
        "县应急管理局",
        "自然灾害和地质灾害隐患排查统计表",
        [
            TOWNSHIP,
            key("村名"),
            Col("地质灾害隐患点（处）", "geohazard", "处"),
            Col("受威胁人数（人）", "threatened", "人"),
            Col("应急避难场所（个）", "shelters", "个"),
            Col("受灾人口（人）", "disaster_pop", "人"),
            Col("直接经济损失（万元）", "disaster_loss", "万元", type="decimal"),
            sign("填报人"),
            sign("审核人"),
        ],
    ),
    FormSpec(
        "县林业和草原局",
        "林草资源与生态护林员情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("林地面积", "forest_area", "公顷", type="decimal"),
            Col("公益林面积", "public_forest", "公顷", type="decimal"),
            Col("森林覆盖率（%）", "forest_cover", "%", type="percentage"),
            Col("生态护林员（名）", "rangers", "名"),
            Col("森林火灾（起）", "forest_fires", "起"),
        ],
        meta=["填报单位：", "单位：公顷"],
    ),
]

# Written as a held-out half, then looked at (its baseline errors were printed): tuned on since.
SEEN: list[FormSpec] = [
    FormSpec(
        "县统计局",
        "村级基本情况综合统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Group("户籍情况", (Col("户数（户）", "hh_total", "户"), Col("人口（人）", "pop_total", "人"))),
            Col("常住人口（人）", "pop_resident", "人"),
            Col("劳动力（人）", "labor", "人"),
            Col("外出务工人员（人）", "migrant", "人"),
            Col("耕地面积（公顷）", "cultivated", "公顷", type="decimal"),
            Col("粮食总产量（公斤）", "grain_output", "公斤", type="decimal"),
            Col("村集体经济总收入（元）", "collective_income", "元", type="decimal"),
            Col("农村常住居民人均可支配收入（元）", "farmer_income", "元", type="decimal"),
        ],
        column_numbers=True,
    ),
    FormSpec(
        "县民政局",
        "城乡最低生活保障和特困人员救助供养统计月报",
        [
            key("乡镇（街道）"),
            key("村（社区）"),
            Group(
                "最低生活保障对象",
                (
                    Col("户数", "dibao_hh", "户"),
                    Col("人数", "dibao_pop", "人"),
                    Col("保障金支出", "dibao_money", "元", type="decimal"),
                ),
            ),
            Col("特困人员", "tekun_pop", "人"),
            Col("临时救助人次", "temp_aid", "人次"),
            sign("审核人"),
        ],
        meta=["填报单位：", "单位：户、人、元"],
    ),
    FormSpec(
        "县乡村振兴局",
        "防返贫动态监测帮扶台账汇总表",
        [
            key("村名"),
            Col("建档立卡脱贫户（户）", "tuopin_hh", "户"),
            Col("脱贫人口（人）", "tuopin_pop", "人"),
            Col("防返贫监测对象户数（户）", "monitor_hh", "户"),
            Col("监测对象人数（人）", "monitor_pop", "人"),
            Col("其中：纳入低保（人）", "monitor_pop>dibao", "人"),
            Col("脱贫劳动力务工就业人数（人）", "tuopin_migrant", "人"),
            sign("填表人"),
        ],
        fmt="csv-gbk",
        meta=[],
    ),
    FormSpec(
        "县医疗保障局",
        "城乡居民医疗保障参保情况统计表",
        [
            TOWNSHIP,
            key("村"),
            Col("户籍人口（人）", "pop_total", "人"),
            Col("基本医疗保险参保人数（人）", "medins_pop", "人"),
            Col("参保率（%）", "medins_rate", "%", type="percentage"),
            Col("家庭医生签约服务人数（人）", "family_doctor", "人"),
            Col("60周岁以上老年人数（人）", "elderly60", "人"),
            sign("填表人"),
            sign("联系电话"),
        ],
    ),
    FormSpec(
        "县教育体育局",
        "义务教育控辍保学情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("义务教育阶段适龄儿童少年（人）", "school_age", "人"),
            Col("失学辍学人数（人）", "dropout", "人"),
            Col("其中：已劝返（人）", "dropout>returned", "人"),
            Col("农村留守儿童（人）", "leftbehind_child", "人"),
            Col("学校（所）", "schools", "所"),
        ],
    ),
    FormSpec(
        "县残疾人联合会",
        "残疾人基本情况统计表",
        [
            key("村（社区）"),
            Col("持证残疾人数（人）", "disabled", "人"),
            Col("其中：纳入低保人数（人）", "disabled>dibao", "人"),
            Col("其中：重度残疾（人）", "disabled>severe", "人"),
            Col("两项补贴发放金额（万元）", "disabled_subsidy", "万元", type="decimal"),
        ],
    ),
    FormSpec(
        "县农业农村局",
        "畜牧业生产与耕地保护情况表",
        [
            TOWNSHIP,
            key("行政村"),
            Col("耕地保有量（亩）", "cultivated", "亩", type="decimal"),
            Col("粮食作物播种面积（亩）", "grain_area", "亩", type="decimal"),
            Col("生猪存栏（头）", "pig_stock", "头"),
            Col("大牲畜存栏（头）", "cattle_stock", "头"),
            Col("卫生户厕改造户数（户）", "toilets", "户"),
        ],
    ),
    FormSpec(
        "县林业和草原局",
        "森林防火及地质灾害防治情况统计表",
        [
            key("村名"),
            Col("林地面积（亩）", "forest_area", "亩", type="decimal"),
            Col("护林员（人）", "rangers", "人"),
            Col("地质灾害隐患点（个）", "geohazard", "个"),
            Col("受威胁人口（人）", "threatened", "人"),
            Col("森林火灾（起）", "forest_fires", "起"),
        ],
    ),
    FormSpec(
        "县民政局",
        "农村留守老年人和留守儿童关爱服务统计表",
        [
            TOWNSHIP,
            VILLAGE,
            Col("60岁以上老年人口（人）", "elderly60", "人"),
            Col("农村留守老年人（人）", "leftbehind_elderly", "人"),
            Col("农村留守儿童（人）", "leftbehind_child", "人"),
            Col("关爱服务人次（人次）", "care_visits", "人次"),
        ],
    ),
]

# Written by the tuning pass of the element dictionary work (new departments and layouts: 派出所
# style two-level 户籍 headers, 参加…保险 phrasing, unit rows in 公顷/公斤/千元, 单位 lines listing
# several units, 65-year-olds kept apart from 60-year-olds); tuned on.
WIDER: list[FormSpec] = [
    FormSpec(
        "县公安局",
        "户籍人口和常住人口统计表",
        [
            TOWNSHIP,
            VILLAGE,
            Group("户籍", (Col("户数（户）", "hh_total", "户"), Col("人口数（人）", "pop_total", "人"))),
            Col("常住人口数（人）", "pop_resident", "人"),
            Col("流动人口（人）", "floating_pop", "人"),
            Col("60周岁以上户籍老年人（人）", "elderly60", "人"),
        ],
        fmt="csv-gbk",
        meta=[],
    ),
    FormSpec(
        "县人力资源和社会保障局",
        "城乡居民社会保险参保和劳动力转移情况表",
        [
            SERIAL,
            key("乡镇"),
            key("村（社区）"),
            Col("参加城乡居民基本养老保险人数（人）", "pension_pop", "人"),
            Col("参加城乡居民基本医疗保险人数（人）", "medins_pop", "人"),
            Col("领取养老金人数（人）", "pension_receivers", "人"),
            Col("农村劳动力人数（人）", "labor", "人"),
            Col("转移输出劳动力（人）", "migrant", "人"),
            Col("外出务工收入（元）", "migrant_income", "元", type="decimal"),
        ],
    ),
    FormSpec(
        "县农业农村局",
        "农村土地承包经营和粮食生产情况表",
        [
            TOWNSHIP,
            VILLAGE,
            Col("耕地面积", "cultivated", "公顷", type="decimal", unit_cell="公顷"),
            Col("农作物播种面积", "crop_area", "亩", type="decimal", unit_cell="亩"),
            Col("粮食播种面积", "grain_area", "公顷", type="decimal", unit_cell="公顷"),
            Col("粮食产量", "grain_output", "公斤", type="decimal", unit_cell="公斤"),
            Col("土地流转面积", "land_transfer", "亩", type="decimal", unit_cell="亩"),
            Col("村集体经济收入", "collective_income", "千元", type="decimal", unit_cell="千元"),
        ],
        unit_row=True,
    ),
    FormSpec(
        "县乡村振兴局",
        "防止返贫监测对象帮扶情况月报",
        [
            key("村委会名称"),
            Group("监测户", (Col("户数（户）", "monitor_hh", "户"), Col("人数（人）", "monitor_pop", "人"))),
            Group(
                "已消除风险",
                (Col("户数（户）", "monitor_cleared_hh", "户"), Col("人数（人）", "monitor_cleared_pop", "人")),
            ),
            Col("脱贫人口（人）", "tuopin_pop", "人"),
            Col("外出务工脱贫劳动力（人）", "tuopin_migrant", "人"),
            sign("填报人"),
        ],
    ),
    FormSpec(
        "县民政局",
        "农村低保和特困供养年报",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Group(
                "最低生活保障",
                (
                    Col("保障户数", "dibao_hh", "户"),
                    Col("保障人数", "dibao_pop", "人"),
                    Col("全年支出", "dibao_money", "万元", type="decimal"),
                ),
            ),
            Col("特困供养人员", "tekun_pop", "人"),
            Col("临时救助", "temp_aid", "人次"),
            Col("孤儿", "orphans", "人"),
        ],
        meta=["填报单位：", "单位：户、人、人次、万元"],
    ),
    FormSpec(
        "县卫生健康局",
        "老年人和慢性病患者健康管理情况表",
        [
            key("村"),
            Col("常住人口(人)", "pop_resident", "人"),
            Col("65周岁及以上老年人(人)", "elderly65", "人"),
            Col("高血压患者(人)", "hypertension", "人"),
            Col("家庭医生签约服务人数(人)", "family_doctor", "人"),
            Col("孕产妇(人)", "pregnant", "人"),
        ],
        fmt="csv-utf8",
        meta=[],
    ),
]

# A second batch in the same spirit, measured once before any tuning on it (docs/benchmarks.md).
WIDER_PROBE: list[FormSpec] = [
    FormSpec(
        "县妇女联合会",
        "农村留守妇女儿童关爱服务情况表",
        [
            TOWNSHIP,
            VILLAGE,
            Col("留守儿童数（名）", "leftbehind_child", "名"),
            Col("留守妇女（人）", "leftbehind_women", "人"),
            Col("困境儿童（名）", "hardship_child", "名"),
            Col("孤儿数（名）", "orphans", "名"),
            sign("联系人"),
        ],
    ),
    FormSpec(
        "县统计局",
        "村级集体资产和农村住房情况统计表",
        [
            SERIAL,
            key("乡镇名称"),
            key("村名称"),
            Col("村集体资产总额（万元）", "collective_assets", "万元", type="decimal"),
            Col("村集体经济总收入（万元）", "collective_income", "万元", type="decimal"),
            Col("其中：经营性收入（万元）", "collective_income>operating", "万元", type="decimal"),
            Col("农村住房面积（平方米）", "housing_area", "平方米", type="decimal"),
            Col("危房户数（户）", "dangerous_houses_hh", "户"),
        ],
        column_numbers=True,
    ),
    FormSpec(
        "县住房和城乡建设局",
        "农村危房改造和住房安全保障情况表",
        [
            key("乡（镇）"),
            key("行政村"),
            Col("农村危房（户）", "dangerous_houses_hh", "户"),
            Col("已完成改造（户）", "renovated_hh", "户"),
            Col("改造补助资金（元）", "renovation_money", "元", type="decimal"),
            Col("常住人口（人）", "pop_resident", "人"),
            sign("审核人"),
        ],
        fmt="csv-gbk",
        meta=[],
    ),
    FormSpec(
        "县农业农村局",
        "畜牧业生产情况季报",
        [
            TOWNSHIP,
            VILLAGE,
            Group("生猪", (Col("存栏（头）", "pig_stock", "头"), Col("出栏（头）", "pig_out", "头"))),
            Group("牛", (Col("存栏（头）", "cattle_stock", "头"), Col("出栏（头）", "cattle_out", "头"))),
            Col("家禽存栏（万只）", "poultry", "万只", type="decimal"),
            Col("肉类总产量（吨）", "meat_output", "吨", type="decimal"),
        ],
    ),
    FormSpec(
        "县医疗保障局",
        "医疗救助和资助参保情况表",
        [
            key("村（社区）"),
            Col("医疗救助（人次）", "med_aid", "人次"),
            Col("资助参保人数（人）", "med_subsidized", "人"),
            Col("城乡居民医保参保人数（人）", "medins_pop", "人"),
            Col("特困人员（人）", "tekun_pop", "人"),
            Col("低保对象（人）", "dibao_pop", "人"),
        ],
    ),
]

TRAIN = TRAIN_FIRST + SEEN + WIDER + WIDER_PROBE

# Written after tuning on TRAIN; measured once for docs/benchmarks.md.
HELD_OUT: list[FormSpec] = [
    FormSpec(
        "县民政局",
        "社会救助对象花名册汇总表（季报）",
        [
            SERIAL,
            key("乡镇名称"),
            key("行政村名称"),
            Group(
                "城乡低保",
                (
                    Col("保障户数（户）", "dibao_hh", "户"),
                    Col("保障人数（人）", "dibao_pop", "人"),
                    Col("发放金额（元）", "dibao_money", "元", type="decimal"),
                ),
            ),
            Group(
                "特困人员",
                (Col("集中供养（人）", "tekun_central", "人"), Col("分散供养（人）", "tekun_pop>scattered", "人")),
            ),
            Col("临时救助（人次）", "temp_aid", "人次"),
            sign("单位负责人"),
            sign("填表人"),
        ],
        column_numbers=True,
    ),
    FormSpec(
        "县卫生健康局",
        "老年人健康管理和家庭医生签约服务进度表",
        [
            key("乡镇（街道）"),
            key("村委会名称"),
            Col("辖区常住人口数（人）", "pop_resident", "人"),
            Col("65岁及以上老年人数（人）", "elderly65", "人"),
            Col("家庭医生签约人数（人）", "family_doctor", "人"),
            Col("签约率（%）", "family_doctor_rate", "%", type="percentage"),
            Col("重点人群签约人数（人）", "family_doctor_key", "人"),
            sign("联系电话"),
        ],
    ),
    FormSpec(
        "县人力资源和社会保障局",
        "脱贫劳动力外出务工情况统计表",
        [
            key("村（社区）"),
            Col("脱贫劳动力（人）", "tuopin_labor", "人"),
            Col("脱贫劳动力外出务工人数（人）", "tuopin_migrant", "人"),
            Col("农村劳动力总数（人）", "labor", "人"),
            Col("外出务工总人数（人）", "migrant", "人"),
            Col("开展技能培训（人次）", "training", "人次"),
            Col("务工收入（万元）", "migrant_income", "万元", type="decimal"),
        ],
        fmt="csv-utf8",
        meta=[],
    ),
    FormSpec(
        "县农业农村局",
        "村集体经济发展和农村居民收入情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("村集体经济收入", "collective_income", "元", type="decimal"),
            Col("其中：经营性收入", "collective_income>operating", "元", type="decimal"),
            Col("农村居民人均可支配收入", "farmer_income", "元", type="decimal"),
            Col("土地流转面积", "land_transfer", "亩", type="decimal"),
        ],
        meta=["填报单位：", "单位：元、亩"],
    ),
    FormSpec(
        "县水务局",
        "农村供水保障情况统计表",
        [
            TOWNSHIP,
            key("村名"),
            Col("户籍户数（户）", "hh_total", "户"),
            Col("户籍人口（人）", "pop_total", "人"),
            Col("集中供水受益人口（人）", "water_pop", "人"),
            Col("自来水普及率（%）", "water_rate", "%", type="percentage"),
            Col("是否存在季节性缺水（是/否）", "water_shortage", type="yesno"),
            sign("填报人"),
        ],
    ),
    FormSpec(
        "县自然资源局",
        "地质灾害隐患点及群测群防员情况表",
        [
            SERIAL,
            key("乡（镇）"),
            key("村"),
            Col("地质灾害隐患点数（处）", "geohazard", "处"),
            Col("威胁人口（人）", "threatened", "人"),
            Col("威胁财产（万元）", "threatened_property", "万元", type="decimal"),
            Col("群测群防员（人）", "monitors", "人"),
        ],
    ),
    FormSpec(
        "县林业和草原局",
        "生态护林员管理情况统计表",
        [
            TOWNSHIP,
            VILLAGE,
            Col("生态护林员人数（人）", "rangers", "人"),
            Col("管护面积（公顷）", "ranger_area", "公顷", type="decimal"),
            Col("林地面积（公顷）", "forest_area", "公顷", type="decimal"),
            Col("劳务报酬（万元）", "ranger_pay", "万元", type="decimal"),
        ],
    ),
    FormSpec(
        "县退役军人事务局",
        "退役军人服务站建设和退役军人信息采集表",
        [
            key("所属乡镇"),
            key("村（社区）"),
            Col("退役军人（人）", "veterans", "人"),
            Col("优抚对象人数（人）", "youfu", "人"),
            Col("其中：享受定期抚恤补助人数（人）", "veterans>pension", "人"),
            Col("困难退役军人（户）", "veterans_poor_hh", "户"),
            sign("负责人"),
            sign("联系电话"),
        ],
    ),
]
