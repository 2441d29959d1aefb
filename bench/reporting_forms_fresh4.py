"""A fourth held-out set of county department forms for the overlap finder (issue 14), written before any run.

Written by an engineer who had not read `cunwu/reporting/compare.py`, `fields.py`, `formfiles.py`,
`cunwu/matching/`, `data/lexicon/`, `docs/reporting.md` or the benchmark history, and without running any
comparison on it; its first run is the honest figure. Only the earlier sets' format, their unit tables
and their titles were read (to keep the topics apart); a grep for FRESH3's users printed a few lines of
`bench/bench_reporting.py`'s FRESH3 notes, which nothing here follows. Labels follow
`bench/reporting_forms.py`: each data column carries the datum it collects (`concept`) and the unit its
values are in; two columns of different forms are a true pair exactly when their concepts are equal (a
county statistician could reuse one form's value in the other directly), and the unit factor follows from
the two units (`true_factor`, same meaning as FRESH's: a value in unit a × factor = the value in unit b).
A concept written `total>part` is a 其中 part, its own datum. 36 forms of 27 departments, 88 true pairs
(29 with a unit factor other than 1), 140 near misses; `python -m bench.reporting_forms_fresh4` writes
every form as a file, reads it back and checks the labels (`label_problems`).

Most topics are new to the held-out sets (重大动物疫病强制免疫和畜牧业统计, 政策性农业保险, 野生动物肇事
公众责任保险, 集体林权, 小型水利工程, 村级河长, 通信网络和农村电网, 乡村旅游, 乡村振兴示范村和特色产业,
返乡创业, 巾帼创业, 村规民约和村务公开, 村务监督和“三资”, 房地一体确权和田长制, 春耕农资, 村卫生室和乡村
医生, 门诊统筹, 农村集体聚餐和食品安全协管, 禁毒, 平安创建和重点人群, 社区矫正和安置帮教, 学生资助和营养
改善计划, 农村房屋安全隐患, 畜禽养殖污染); some overlap the earlier ones on purpose (防返贫监测, 留守儿童,
残疾人两项补贴, 耕地和粮食, 森林防灭火) so that real overlaps exist. Hard in the ways real forms are: one
datum under different names (投保/参保, 承保面积/投保面积, 保费合计/保费收入, 负债合计/村级债务, 总诊疗人次/
本年诊疗), qualifiers (在册/登记在册/在岗/年末/期末/当季/本年), units that differ (万元/元, 亩/公顷, 吨/公斤,
头/万头, 羽/万羽, 人次/万人次, 公里/千米), a unit row under bare headers, 其中 parts that are not their totals,
户/人/人次/个/处/座/栋/宗/本 kept apart, two GBK and two UTF-8 CSVs, and many near-misses that must not pair
(NEAR_MISSES): supply against use (化肥供应量/施用量), all rangers against 生态护林员, 诊疗人次 against 门诊统筹
结算人次, 经营收入 against 经营性收入, 农家乐 against 农家乐、民宿.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from bench.reporting_forms import SERIAL, TOWNSHIP, VILLAGE, key, sign
from bench.reporting_forms_fresh import factor_in, pairs_by_concept
from bench.reporting_forms_fresh3 import UNIT_SIZE as FRESH3_UNIT_SIZE
from cunwu.reporting.tests.sheets import Col, FormSpec, Group, form_bytes, form_rows

FRESH4: list[FormSpec] = [
    FormSpec(
        "县农业农村局",
        "2027年春季重大动物疫病强制免疫工作进度表",
        [
            SERIAL,
            TOWNSHIP,
            key("村委会（社区）"),
            Col("生猪存栏（头）", "pigs_stock", "头"),
            Col("其中：能繁母猪（头）", "pigs_stock>sows", "头"),
            Col("牛存栏（头）", "cattle_stock", "头"),
            Col("羊存栏（只）", "sheep_stock", "只"),
            Col("家禽存栏（羽）", "poultry_stock", "羽"),
            Group(
                "口蹄疫免疫",
                (
                    Col("应免数（头）", "fmd_due", "头"),
                    Col("实免数（头）", "fmd_done", "头"),
                ),
            ),
            Group(
                "高致病性禽流感免疫",
                (
                    Col("应免（羽）", "avian_flu_due", "羽"),
                    Col("实免（羽）", "avian_flu_done", "羽"),
                ),
            ),
            Col("村级动物防疫员（人）", "vet_staff", "人"),
            sign("防疫员签字"),
        ],
        meta=["填报单位：          乡（镇）农业农村综合服务中心（盖章）", "统计时间：    年  月  日"],
        footer="填报人：          畜牧兽医站站长：          联系电话：",
    ),
    FormSpec(
        "县统计局",
        "畜牧业生产情况统计季报表（村级）",
        [
            TOWNSHIP,
            VILLAGE,
            Group(
                "生猪",
                (
                    Col("期末存栏", "pigs_stock", "头", unit_cell="头"),
                    Col("其中：能繁母猪", "pigs_stock>sows", "头", unit_cell="头"),
                    Col("当季出栏", "pigs_out", "头", unit_cell="头"),
                ),
            ),
            Group(
                "牛",
                (
                    Col("期末存栏", "cattle_stock", "头", unit_cell="头"),
                    Col("当季出栏", "cattle_out", "头", unit_cell="头"),
                ),
            ),
            Group(
                "羊",
                (
                    Col("期末存栏", "sheep_stock", "只", unit_cell="只"),
                    Col("当季出栏", "sheep_out", "只", unit_cell="只"),
                ),
            ),
            Col("家禽期末存栏", "poultry_stock", "万羽", type="decimal", unit_cell="万羽"),
            Col("肉类总产量", "meat_output", "吨", type="decimal", unit_cell="吨"),
            Col("禽蛋产量", "egg_output", "吨", type="decimal", unit_cell="吨"),
        ],
        unit_row=True,
        meta=["填报单位：", "报告期：    年第  季度"],
        footer="单位负责人：          统计负责人：          填表人：          报出日期：",
    ),
    FormSpec(
        "县财政局",
        "政策性农业保险承保理赔情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("参保农户（户）", "ag_ins_hh", "户"),
            Group(
                "种植业保险",
                (
                    Col("承保面积（亩）", "ag_ins_crop_area", "亩", type="decimal"),
                    Col("其中：玉米（亩）", "ag_ins_crop_area>maize", "亩", type="decimal"),
                ),
            ),
            Group(
                "养殖业保险",
                (
                    Col("能繁母猪（头）", "ag_ins_sows", "头"),
                    Col("育肥猪（头）", "ag_ins_hogs", "头"),
                ),
            ),
            Col("保费合计（万元）", "ag_ins_premium", "万元", type="decimal"),
            Col("其中：各级财政补贴（万元）", "ag_ins_premium>subsidy", "万元", type="decimal"),
            Col("农户自缴保费（万元）", "ag_ins_premium>farmer", "万元", type="decimal"),
            Col("已决赔款（万元）", "ag_ins_claims", "万元", type="decimal"),
            Col("获得赔款农户（户次）", "ag_ins_claim_cases", "户次"),
        ],
        fmt="csv-gbk",
        meta=["填报单位：", "单位：户、亩、头、万元"],
    ),
    FormSpec(
        "县农业农村局",
        "农业保险承保和灾后理赔到村到户情况表",
        [
            key("村（社区）"),
            Col("投保农户数（户）", "ag_ins_hh", "户"),
            Col("种植业投保面积（公顷）", "ag_ins_crop_area", "公顷", type="decimal"),
            Col("能繁母猪投保（头）", "ag_ins_sows", "头"),
            Col("能繁母猪存栏（头）", "pigs_stock>sows", "头"),
            Col("保费收入（元）", "ag_ins_premium", "元", type="decimal"),
            Col("理赔金额（元）", "ag_ins_claims", "元", type="decimal"),
            Col("农作物受灾面积（亩）", "crop_damage_area", "亩", type="decimal"),
            Col("其中：绝收面积（亩）", "crop_damage_area>total_loss", "亩", type="decimal"),
            sign("村级协保员"),
            sign("村委会主任（签字）"),
        ],
        meta=["填报单位：", "截至：    年  月  日"],
    ),
    FormSpec(
        "县林业和草原局",
        "野生动物肇事公众责任保险损失核定汇总表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("主要肇事物种", "wildlife_species", None, type="text"),
            Col("肇事起数（起）", "wildlife_incidents", "起"),
            Col("受损农户（户）", "wildlife_hh", "户"),
            Col("农作物受损面积（亩）", "wildlife_crop_area", "亩", type="decimal"),
            Col("受伤及死亡人员（人）", "wildlife_casualties", "人"),
            Col("核定损失金额（元）", "wildlife_loss", "元", type="decimal"),
            Col("保险已赔付金额（元）", "wildlife_paid", "元", type="decimal"),
            sign("核损人员"),
        ],
        column_numbers=True,
        footer="林业站负责人：          保险公司核损员：          日期：",
    ),
    FormSpec(
        "县林业和草原局",
        "集体林权制度改革和林地资源情况统计表",
        [
            TOWNSHIP,
            key("行政村"),
            Col("林地面积（公顷）", "forest_land", "公顷", type="decimal"),
            Col("其中：集体林地（公顷）", "forest_land>collective", "公顷", type="decimal"),
            Col("公益林面积（亩）", "public_forest", "亩", type="decimal"),
            Col("商品林面积（亩）", "commercial_forest", "亩", type="decimal"),
            Col("确权到户林地（亩）", "forest_land_titled", "亩", type="decimal"),
            Col("发放林权证（本）", "forest_certs", "本"),
            Col("生态护林员（名）", "forest_rangers", "名"),
            Col("森林覆盖率（%）", "forest_cover", "%", type="percentage"),
            Col("核桃种植面积（亩）", "walnut_area", "亩", type="decimal"),
        ],
        column_numbers=True,
        meta=["填报单位：          林业和草原服务站（盖章）", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县应急管理局",
        "森林草原防灭火工作情况统计表",
        [
            key("乡（镇）"),
            key("村（社区）"),
            Col("林地面积（亩）", "forest_land", "亩", type="decimal"),
            Col("专兼职护林员（人）", "rangers_all", "人"),
            Col("半专业扑火队（支）", "fire_teams", "支"),
            Col("扑火队员（人）", "fire_fighters", "人"),
            Col("防火检查站（卡点）（个）", "fire_checkpoints", "个"),
            Col("本期发生火情（起）", "forest_fires", "起"),
            Col("过火面积（公顷）", "burned_area", "公顷", type="decimal"),
            Col("野外用火审批（次）", "fire_permits", "次"),
            Col("防火宣传（场次）", "fire_campaigns", "场次"),
            sign("填报人"),
            sign("带班领导"),
        ],
        meta=["填报单位：", "统计时段：    年  月  日至  月  日"],
    ),
    FormSpec(
        "县水务局",
        "农村小型水利工程管护和农村供水情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("户籍总人口（人）", "pop_total", "人"),
            Col("小（二）型水库（座）", "small_reservoirs", "座"),
            Col("小坝塘（座）", "ponds", "座"),
            Col("小水窖（口）", "cisterns", "口"),
            Col("灌溉沟渠（公里）", "canals", "公里", type="decimal"),
            Col("有效灌溉面积（亩）", "irrigated_area", "亩", type="decimal"),
            Col("集中供水工程（处）", "water_works", "处"),
            Col("农村供水人口（人）", "water_pop", "人"),
            Col("其中：自来水入户人口（人）", "water_pop>tap", "人"),
            Col("村级管水员（人）", "water_keepers", "人"),
            sign("填报人"),
        ],
        meta=["填报单位：          水务站（盖章）", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县河长制办公室",
        "村级河（湖）长制工作落实情况统计表",
        [
            key("村（社区）"),
            Col("辖区河流（条）", "rivers", "条"),
            Col("河道长度（千米）", "river_length", "千米", type="decimal"),
            Col("水库、坝塘（座）", "reservoirs_and_ponds", "座"),
            Col("村级河（湖）长（人）", "river_chiefs", "人"),
            Col("河道保洁员（人）", "river_cleaners", "人"),
            Col("本年巡河（次）", "river_patrols", "次"),
            Col("清理河道垃圾（吨）", "river_garbage", "吨", type="decimal"),
            Col("发现并整改问题（个）", "river_issues", "个"),
            Col("村规民约纳入河湖保护内容（是/否）", "rules_river", None, type="yesno"),
        ],
        meta=["填报单位：", "统计时间：    年  月  日"],
        footer="村级河长（签字）：          填报人：          联系电话：",
    ),
    FormSpec(
        "县科技和工业信息化局",
        "行政村通信网络覆盖情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            key("行政村"),
            Col("总户数（户）", "hh_total", "户"),
            Col("自然村（个）", "natural_villages", "个"),
            Col("通4G网络自然村（个）", "natural_villages_4g", "个"),
            Col("通宽带自然村（个）", "natural_villages_broadband", "个"),
            Col("5G基站（个）", "base_stations_5g", "个"),
            Col("通信铁塔（座）", "towers", "座"),
            Col("固定宽带用户（户）", "broadband_hh", "户"),
            Col("广播电视“户户通”用户（户）", "tv_hh", "户"),
        ],
        meta=["填报单位：", "单位：个、座、户"],
    ),
    FormSpec(
        "云南电网有限责任公司县供电局",
        "农村电网供电服务情况统计表",
        [
            key("供电所"),
            key("行政村"),
            Col("自然村总数（个）", "natural_villages", "个"),
            Col("通动力电自然村（个）", "natural_villages_power", "个"),
            Col("居民用电户（户）", "power_users", "户"),
            Col("配电变压器（台）", "transformers", "台"),
            Col("配变容量（千伏安）", "transformer_capacity", "千伏安", type="decimal"),
            Col("10千伏线路（公里）", "lines_10kv", "公里", type="decimal"),
            Col("低压线路（千米）", "lines_lv", "千米", type="decimal"),
            Col("村级电工（人）", "electricians", "人"),
            Col("年用电量（万千瓦时）", "power_use", "万千瓦时", type="decimal"),
            sign("供电所所长"),
        ],
        footer="填报人：          审核人：          报送日期：",
    ),
    FormSpec(
        "县统计局",
        "村级基本情况统计年报表",
        [
            TOWNSHIP,
            VILLAGE,
            Col("自然村（个）", "natural_villages", "个"),
            Col("村民小组（个）", "groups", "个"),
            Col("年末户籍户数（户）", "hh_total", "户"),
            Col("年末户籍人口（人）", "pop_total", "人"),
            Col("年末常住人口（人）", "pop_resident", "人"),
            Col("外出务工半年以上人员（人）", "migrant_workers", "人"),
            Col("通宽带互联网的自然村（个）", "natural_villages_broadband", "个"),
            Col("通动力电的自然村（个）", "natural_villages_power", "个"),
            Col("村集体经济收入（万元）", "collective_income", "万元", type="decimal"),
            Col("农村居民人均可支配收入（元）", "farmer_income", "元", type="decimal"),
        ],
        column_numbers=True,
        meta=["填报单位：", "单位负责人："],
        footer="统计负责人：          填表人：          报出日期：    年  月  日",
    ),
    FormSpec(
        "县文化和旅游局",
        "乡村旅游发展情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            key("乡村旅游重点村"),
            Col("接待游客（万人次）", "tourists", "万人次", type="decimal"),
            Col("乡村旅游收入（万元）", "tourism_income", "万元", type="decimal"),
            Col("农家乐（户）", "nongjiale", "户"),
            Col("民宿（家）", "homestays", "家"),
            Col("床位（张）", "beds", "张"),
            Col("餐位（个）", "dining_seats", "个"),
            Col("直接从业人员（人）", "tourism_workers", "人"),
            Col("带动农户（户）", "tourism_driven_hh", "户"),
            Col("A级景区（个）", "a_scenic_spots", "个"),
        ],
        meta=["填报单位：", "统计时段：    年  月至  月"],
    ),
    FormSpec(
        "县乡村振兴局",
        "乡村振兴示范村建设和乡村产业发展情况表",
        [
            key("乡镇"),
            key("示范村"),
            Col("户籍人口（人）", "pop_total", "人"),
            Col("脱贫户（户）", "tuopin_hh", "户"),
            Col("脱贫人口（人）", "tuopin_pop", "人"),
            Col("监测户（户）", "monitor_hh", "户"),
            Col("监测对象（人）", "monitor_pop", "人"),
            Group(
                "乡村旅游",
                (
                    Col("接待游客（人次）", "tourists", "人次"),
                    Col("旅游综合收入（元）", "tourism_income", "元", type="decimal"),
                    Col("农家乐、民宿（户）", "nongjiale_and_homestays", "户"),
                ),
            ),
            Group(
                "特色产业种植面积（亩）",
                (
                    Col("核桃", "walnut_area", "亩", type="decimal"),
                    Col("茶叶", "tea_area", "亩", type="decimal"),
                    Col("咖啡", "coffee_area", "亩", type="decimal"),
                ),
            ),
            Col("村集体经济收入（元）", "collective_income", "元", type="decimal"),
            sign("驻村第一书记"),
        ],
        column_numbers=True,
    ),
    FormSpec(
        "县乡村振兴局",
        "防止返贫动态监测和帮扶情况月报表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("全村总户数（户）", "hh_total", "户"),
            Col("户籍人口（人）", "pop_total", "人"),
            Col("脱贫户（户）", "tuopin_hh", "户"),
            Col("脱贫人口（人）", "tuopin_pop", "人"),
            Group(
                "监测对象",
                (
                    Col("户数（户）", "monitor_hh", "户"),
                    Col("人数（人）", "monitor_pop", "人"),
                    Col("其中：已消除风险（户）", "monitor_hh>cleared", "户"),
                ),
            ),
            Col("脱贫劳动力（人）", "tuopin_labor", "人"),
            Col("其中：务工就业（人）", "tuopin_labor>employed", "人"),
            Col("乡村公益性岗位安置（人）", "public_jobs_people", "人"),
            Col("雨露计划补助（人次）", "yulu_cases", "人次"),
            Col("雨露计划补助金额（万元）", "yulu_money", "万元", type="decimal"),
            Col("脱贫人口小额信贷余额（万元）", "microcredit_balance", "万元", type="decimal"),
        ],
        meta=["填报单位：", "统计月份：    年  月"],
        footer="填报人：          乡村振兴工作站站长：          联系电话：",
    ),
    FormSpec(
        "县人力资源和社会保障局",
        "农村劳动力就业帮扶和返乡创业情况统计表",
        [
            key("乡（镇）"),
            key("村（社区）"),
            Col("农村劳动力（人）", "rural_labor", "人"),
            Col("转移就业（人）", "transferred_labor", "人"),
            Col("其中：省外就业（人）", "transferred_labor>out_province", "人"),
            Col("其中：脱贫劳动力务工就业（人）", "tuopin_labor>employed", "人"),
            Col("返乡创业人员（人）", "returnee_entrepreneurs", "人"),
            Col("发放创业担保贷款（万元）", "startup_loans", "万元", type="decimal"),
            Col("创业带动就业（人）", "startup_jobs", "人"),
            Col("开发乡村公益性岗位（个）", "public_jobs", "个"),
            Col("公益性岗位在岗人员（人）", "public_jobs_people", "人"),
            Col("职业技能培训（人次）", "skills_training", "人次"),
        ],
        fmt="csv-utf8",
        meta=["填报单位：", "截至：    年  月  日"],
        footer="填报人：          劳动保障协理员：",
    ),
    FormSpec(
        "县妇女联合会",
        "巾帼创业和农村妇女儿童关爱服务情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("农村妇女（人）", "women", "人"),
            Col("妇女创业带头人（人）", "women_entrepreneurs", "人"),
            Col("妇女创业担保贷款（元）", "startup_loans>women", "元", type="decimal"),
            Col("农村留守妇女（人）", "left_behind_women", "人"),
            Col("农村留守儿童（人）", "left_behind_children", "人"),
            Col("儿童之家（个）", "children_homes", "个"),
            Col("“美丽庭院”示范户（户）", "beautiful_yards", "户"),
            Col("村（社区）妇联执委（人）", "women_cadres", "人"),
            sign("村妇联主席"),
        ],
    ),
    FormSpec(
        "县民政局",
        "农村留守儿童和困境儿童基本情况统计表",
        [
            key("乡镇（街道）"),
            key("村（居）委会"),
            Col("儿童主任（名）", "child_directors", "名"),
            Col("农村留守儿童（名）", "left_behind_children", "名"),
            Col("其中：无人监护（名）", "left_behind_children>unsupervised", "名"),
            Col("困境儿童（名）", "distressed_children", "名"),
            Col("孤儿（名）", "orphans", "名"),
            Col("事实无人抚养儿童（名）", "de_facto_orphans", "名"),
            Col("儿童之家（个）", "children_homes", "个"),
            sign("儿童主任（签字）"),
        ],
        meta=["填报单位：", "统计时间：    年  月  日"],
    ),
    FormSpec(
        "县民政局",
        "村规民约（居民公约）修订和村务公开情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("村民小组（个）", "groups", "个"),
            Col("村规民约已修订（是/否）", "rules_revised", None, type="yesno"),
            Col("召开村民会议或村民代表会议（次）", "villager_meetings", "次"),
            Col("村民代表（人）", "villager_reps", "人"),
            Col("村务公开栏（块）", "disclosure_boards", "块"),
            Col("本年村务公开（次）", "disclosures", "次"),
            Col("红白理事会（个）", "etiquette_councils", "个"),
            Col("红白喜事办理（场次）", "weddings_funerals", "场次"),
            Col("村务监督委员会成员（人）", "supervision_members", "人"),
            Col("村（居）法律顾问（名）", "legal_advisers", "名"),
        ],
        column_numbers=True,
    ),
    FormSpec(
        "县纪委监委",
        "村务监督委员会履职和农村集体“三资”监管情况统计表",
        [
            key("村（社区）"),
            Col("村务监督委员会成员（人）", "supervision_members", "人"),
            Col("其中：党员（人）", "supervision_members>party", "人"),
            Col("列席村“两委”会议（次）", "supervision_attendance", "次"),
            Col("村集体资产总额（万元）", "collective_assets", "万元", type="decimal"),
            Col("村集体经营性收入（万元）", "collective_op_income", "万元", type="decimal"),
            Col("村级债务（万元）", "village_debt", "万元", type="decimal"),
            Col("公开村务（次）", "disclosures", "次"),
            Col("受理群众信访举报（件）", "petitions", "件"),
            sign("监委会主任"),
        ],
        meta=["填报单位：          乡（镇）纪委（盖章）", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县农业农村局",
        "农村集体“三资”管理情况年报表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Group(
                "资产",
                (
                    Col("资产总额（元）", "collective_assets", "元", type="decimal"),
                    Col("其中：经营性资产（元）", "collective_assets>operating", "元", type="decimal"),
                ),
            ),
            Col("负债合计（元）", "village_debt", "元", type="decimal"),
            Col("集体经济总收入（元）", "collective_income", "元", type="decimal"),
            Col("其中：经营收入（元）", "collective_income>business", "元", type="decimal"),
            Col("集体土地总面积（亩）", "collective_land", "亩", type="decimal"),
            Col("农户承包地确权面积（亩）", "contract_land_titled", "亩", type="decimal"),
            Col("“三资”公开（次）", "asset_disclosures", "次"),
            sign("村报账员"),
        ],
        meta=["填报单位：", "单位：元、亩、次"],
        footer="单位负责人：          会计：          制表：",
    ),
    FormSpec(
        "县自然资源局",
        "农村不动产确权登记（房地一体）和耕地保护工作进度表",
        [
            key("乡镇"),
            key("行政村"),
            Col("农村宅基地（宗）", "homesteads", "宗"),
            Col("已完成权籍调查（宗）", "homesteads_surveyed", "宗"),
            Col("已登记发证（本）", "homestead_certs", "本"),
            Col("集体建设用地（宗）", "collective_build_plots", "宗"),
            Col("耕地保有量（公顷）", "cultivated_land", "公顷", type="decimal"),
            Col("永久基本农田（公顷）", "basic_farmland", "公顷", type="decimal"),
            Col("村级田长（人）", "field_chiefs", "人"),
            Col("违法占用耕地图斑（个）", "illegal_plots", "个"),
            Col("已整改图斑（个）", "illegal_plots_fixed", "个"),
        ],
        meta=["填报单位：", "单位：宗、本、公顷、个、人"],
    ),
    FormSpec(
        "县农业农村局",
        "耕地保护“田长制”和粮食生产情况表",
        [
            SERIAL,
            key("村（社区）"),
            Col("耕地面积（亩）", "cultivated_land", "亩", type="decimal"),
            Col("永久基本农田（亩）", "basic_farmland", "亩", type="decimal"),
            Col("村级田长（人）", "field_chiefs", "人"),
            Col("网格田长（人）", "field_chiefs_grid", "人"),
            Col("有效灌溉面积（亩）", "irrigated_area", "亩", type="decimal"),
            Col("粮食播种面积（亩）", "grain_area", "亩", type="decimal"),
            Col("粮食总产量（吨）", "grain_output", "吨", type="decimal"),
            Col("化肥施用量（折纯，吨）", "fertilizer_use", "吨", type="decimal"),
            Col("农药使用量（公斤）", "pesticide_use", "公斤", type="decimal"),
            Col("农作物受灾面积（亩）", "crop_damage_area", "亩", type="decimal"),
            sign("村级田长（签字）"),
        ],
        column_numbers=True,
    ),
    FormSpec(
        "县供销合作社",
        "春耕农资供应情况统计表",
        [
            key("基层供销社"),
            key("村级综合服务社"),
            Col("化肥供应量（实物量，吨）", "fertilizer_supply", "吨", type="decimal"),
            Col("其中：复合肥（吨）", "fertilizer_supply>compound", "吨", type="decimal"),
            Col("农药供应量（吨）", "pesticide_supply", "吨", type="decimal"),
            Col("农膜供应量（吨）", "film_supply", "吨", type="decimal"),
            Col("种子供应量（公斤）", "seed_supply", "公斤", type="decimal"),
            Col("农资销售额（万元）", "farm_supply_sales", "万元", type="decimal"),
            Col("服务农户（户）", "coop_served_hh", "户"),
        ],
        meta=["填报单位：", "统计时间：    年  月  日"],
    ),
    FormSpec(
        "县统计局",
        "农业生产条件和主要农产品产量年报表（村级）",
        [
            TOWNSHIP,
            VILLAGE,
            Col("年末耕地面积（公顷）", "cultivated_land", "公顷", type="decimal"),
            Col("有效灌溉面积（公顷）", "irrigated_area", "公顷", type="decimal"),
            Col("粮食作物播种面积（公顷）", "grain_area", "公顷", type="decimal"),
            Col("粮食产量（公斤）", "grain_output", "公斤", type="decimal"),
            Col("农用化肥施用折纯量（公斤）", "fertilizer_use", "公斤", type="decimal"),
            Col("农药使用量（吨）", "pesticide_use", "吨", type="decimal"),
            Col("农用塑料薄膜使用量（吨）", "film_use", "吨", type="decimal"),
            Col("茶园面积（公顷）", "tea_area", "公顷", type="decimal"),
            Col("咖啡种植面积（公顷）", "coffee_area", "公顷", type="decimal"),
            Col("核桃种植面积（公顷）", "walnut_area", "公顷", type="decimal"),
            Col("核桃产量（吨）", "walnut_output", "吨", type="decimal"),
        ],
        column_numbers=True,
        meta=["填报单位：", "单位负责人："],
        footer="统计负责人：          填表人：          报出日期：    年  月  日",
    ),
    FormSpec(
        "县卫生健康局",
        "村卫生室标准化建设和乡村医生队伍情况表",
        [
            SERIAL,
            TOWNSHIP,
            key("村卫生室名称"),
            Col("业务用房面积（平方米）", "clinic_area", "平方米", type="decimal"),
            Col("乡村医生（人）", "village_doctors", "人"),
            Col("其中：执业（助理）医师（人）", "village_doctors>licensed", "人"),
            Col("其中：60岁以上（人）", "village_doctors>age60", "人"),
            Col("本年诊疗（人次）", "clinic_visits", "人次"),
            Col("服务常住人口（人）", "pop_resident", "人"),
            Col("家庭医生签约（人）", "signed_pop", "人"),
            Col("实行“乡聘村用”（是/否）", "doctors_hired_by_township", None, type="yesno"),
        ],
        meta=["填报单位：          乡镇卫生院（盖章）", "填报日期：    年  月  日"],
        footer="填报人：          院长：",
    ),
    FormSpec(
        "县医疗保障局",
        "村卫生室医保定点和门诊统筹结算情况表",
        [
            key("乡镇"),
            key("村卫生室"),
            Col("纳入医保定点（是/否）", "clinic_designated", None, type="yesno"),
            Col("在岗乡村医生（名）", "village_doctors", "名"),
            Col("总诊疗人次（万人次）", "clinic_visits", "万人次", type="decimal"),
            Col("门诊统筹结算（万人次）", "outpatient_settled", "万人次", type="decimal"),
            Col("门诊统筹基金支付（元）", "outpatient_fund", "元", type="decimal"),
            Col("服务范围内参保人数（人）", "medins_pop", "人"),
            Col("门诊慢特病待遇人员（人）", "chronic_benefit", "人"),
            sign("村医签字"),
        ],
        meta=["填报单位：", "结算期间：    年  月至  月"],
    ),
    FormSpec(
        "县市场监督管理局",
        "农村集体聚餐和食品安全协管情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("食品安全协管员（人）", "food_officers", "人"),
            Col("食品安全信息员（人）", "food_informants", "人"),
            Col("报备农村集体聚餐（场次）", "banquets", "场次"),
            Col("其中：现场指导（场次）", "banquets>guided", "场次"),
            Col("聚餐就餐人数（人次）", "banquet_diners", "人次"),
            Col("乡村厨师（人）", "rural_chefs", "人"),
            Col("小餐饮店（家）", "small_eateries", "家"),
            Col("食品小作坊（家）", "food_workshops", "家"),
            Col("农家乐餐饮（户）", "nongjiale", "户"),
        ],
        fmt="csv-gbk",
        meta=["填报单位：          市场监督管理所", "统计月份：    年  月"],
        footer="填报人：          所长：",
    ),
    FormSpec(
        "县公安局（县禁毒委员会办公室）",
        "禁毒工作和吸毒人员服务管控情况统计表",
        [
            SERIAL,
            key("派出所"),
            key("村（社区）"),
            Col("登记在册吸毒人员（人）", "drug_users", "人"),
            Col("其中：社区戒毒（人）", "drug_users>community_detox", "人"),
            Col("其中：社区康复（人）", "drug_users>rehab", "人"),
            Col("戒断三年未复吸（人）", "drug_users>abstinent3", "人"),
            Col("禁毒专干（人）", "drug_workers", "人"),
            Col("禁毒宣传（场次）", "drug_campaigns", "场次"),
            Col("受教育群众（人次）", "drug_audience", "人次"),
            Col("铲除非法种植罂粟（株）", "poppies", "株"),
            Col("创建“无毒村”（是/否）", "drug_free_village", None, type="yesno"),
        ],
        meta=["填报单位：", "统计时间：    年  月  日"],
        footer="禁毒专干：          派出所所长：",
    ),
    FormSpec(
        "县委政法委",
        "平安村（社区）创建和重点人群服务管理情况统计表",
        [
            key("乡镇（街道）"),
            key("村（社区）"),
            Group(
                "重点人群（人）",
                (
                    Col("社区矫正对象", "corrections", "人"),
                    Col("刑满释放人员", "released", "人"),
                    Col("吸毒人员", "drug_users", "人"),
                    Col("严重精神障碍患者", "mental", "人"),
                ),
            ),
            Col("村级综治中心（个）", "zongzhi_centers", "个"),
            Col("专职网格员（人）", "grid_workers>fulltime", "人"),
            Col("“雪亮工程”视频监控（个）", "cameras", "个"),
            Col("群防群治队伍（人）", "patrol_volunteers", "人"),
            Col("本年发生刑事案件（起）", "criminal_cases", "起"),
            sign("综治中心主任"),
        ],
        meta=["填报单位：", "单位：人、个、起"],
    ),
    FormSpec(
        "县司法局",
        "社区矫正和安置帮教对象管理情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("在册社区矫正对象（人）", "corrections", "人"),
            Col("其中：缓刑（人）", "corrections>probation", "人"),
            Col("本年新接收（人）", "corrections_new", "人"),
            Col("刑满释放人员（人）", "released", "人"),
            Col("其中：释放五年内（人）", "released>within5", "人"),
            Col("已落实安置帮教（人）", "released_helped", "人"),
            Col("“法律明白人”（人）", "legal_literate", "人"),
            Col("村（居）法律顾问（名）", "legal_advisers", "名"),
            sign("司法所所长"),
        ],
        column_numbers=True,
    ),
    FormSpec(
        "县教育体育局",
        "学生资助和农村义务教育营养改善计划落实情况表",
        [
            SERIAL,
            TOWNSHIP,
            key("户籍所在村"),
            Col("义务教育阶段在校生（人）", "compulsory_students", "人"),
            Col("其中：脱贫家庭学生（人）", "compulsory_students>tuopin", "人"),
            Col("营养改善计划受益学生（人）", "nutrition_students", "人"),
            Group(
                "普通高中国家助学金",
                (
                    Col("人数（人）", "hs_grant_pop", "人"),
                    Col("金额（元）", "hs_grant_money", "元", type="decimal"),
                ),
            ),
            Group(
                "雨露计划",
                (
                    Col("补助人次", "yulu_cases", "人次"),
                    Col("补助金额（元）", "yulu_money", "元", type="decimal"),
                ),
            ),
            Col("适龄残疾儿童少年（人）", "disabled_children", "人"),
            Col("其中：送教上门（人）", "disabled_children>home_teaching", "人"),
            Col("辍学学生（人）", "dropouts", "人"),
        ],
        meta=["填报单位：          中心学校（盖章）", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县残疾人联合会",
        "残疾人两项补贴和教育就业情况统计表",
        [
            key("乡镇"),
            key("村（社区）"),
            Col("持证残疾人（人）", "disabled", "人"),
            Col("其中：一、二级重度残疾人（人）", "disabled>severe", "人"),
            Col("享受困难残疾人生活补贴（人）", "subsidy_living_pop", "人"),
            Col("享受重度残疾人护理补贴（人）", "subsidy_care_pop", "人"),
            Col("两项补贴发放金额（万元）", "subsidy_money", "万元", type="decimal"),
            Col("6-15周岁适龄残疾儿童少年（人）", "disabled_children", "人"),
            Col("其中：未入学（人）", "disabled_children_out", "人"),
            Col("送教上门残疾儿童（人）", "disabled_children>home_teaching", "人"),
            Col("已就业残疾人（人）", "disabled_employed", "人"),
            Col("村残疾人专职委员（人）", "disabled_officers", "人"),
        ],
        meta=["填报单位：", "单位：人、万元"],
        footer="专职委员：          乡镇残联理事长：",
    ),
    FormSpec(
        "县民政局",
        "残疾人两项补贴资金发放明细汇总表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("持证残疾人数（人）", "disabled", "人"),
            Group(
                "困难残疾人生活补贴",
                (
                    Col("人数（人）", "subsidy_living_pop", "人"),
                    Col("金额（元）", "subsidy_living_money", "元", type="decimal"),
                ),
            ),
            Group(
                "重度残疾人护理补贴",
                (
                    Col("人数（人）", "subsidy_care_pop", "人"),
                    Col("金额（元）", "subsidy_care_money", "元", type="decimal"),
                ),
            ),
            Col("合计发放（元）", "subsidy_money", "元", type="decimal"),
            sign("经办人"),
            sign("审核人"),
        ],
        column_numbers=True,
    ),
    FormSpec(
        "县住房和城乡建设局",
        "农村房屋安全隐患排查整治情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("农户总数（户）", "hh_total", "户"),
            Col("农村房屋（栋）", "houses", "栋"),
            Col("其中：用作经营的自建房（栋）", "houses>commercial", "栋"),
            Col("鉴定为C级（栋）", "houses_c", "栋"),
            Col("鉴定为D级（栋）", "houses_d", "栋"),
            Col("已完成整治（栋）", "houses_fixed", "栋"),
            Col("农村低收入群体危房（户）", "dangerous_houses_hh", "户"),
            Col("农村建筑工匠（人）", "craftsmen", "人"),
            sign("排查人员"),
            sign("村委会（盖章）"),
        ],
        meta=["填报单位：", "单位：栋、户、人"],
    ),
    FormSpec(
        "市生态环境局县分局",
        "畜禽养殖污染防治和农村饮用水水源地保护情况表",
        [
            key("村（社区）"),
            Col("畜禽规模养殖场（个）", "large_farms", "个"),
            Col("生猪存栏（万头）", "pigs_stock", "万头", type="decimal"),
            Col("牛存栏（头）", "cattle_stock", "头"),
            Col("畜禽粪污综合利用率（%）", "manure_use_rate", "%", type="percentage"),
            Col("千人以上集中式饮用水水源地（个）", "water_sources", "个"),
            Col("已划定保护区（个）", "water_sources_protected", "个"),
            Col("流经河流（条）", "rivers", "条"),
            Col("流经河道长度（公里）", "river_length", "公里", type="decimal"),
            sign("填报人"),
        ],
        fmt="csv-utf8",
        meta=["填报单位：", "填报日期：    年  月  日"],
    ),
]


# Pairs of concepts a careless finder could pair but that are different data (each a real temptation above).
NEAR_MISSES: list[tuple[str, str]] = [
    ("pigs_stock", "pigs_stock>sows"),
    ("pigs_stock", "pigs_out"),
    ("cattle_stock", "cattle_out"),
    ("sheep_stock", "sheep_out"),
    ("pigs_stock>sows", "ag_ins_sows"),
    ("ag_ins_sows", "ag_ins_hogs"),
    ("fmd_due", "fmd_done"),
    ("fmd_due", "pigs_stock"),
    ("avian_flu_due", "poultry_stock"),
    ("avian_flu_due", "avian_flu_done"),
    ("meat_output", "egg_output"),
    ("ag_ins_hh", "ag_ins_claim_cases"),
    ("ag_ins_crop_area", "ag_ins_crop_area>maize"),
    ("ag_ins_crop_area", "crop_damage_area"),
    ("ag_ins_premium", "ag_ins_premium>subsidy"),
    ("ag_ins_premium>subsidy", "ag_ins_premium>farmer"),
    ("ag_ins_premium", "ag_ins_claims"),
    ("crop_damage_area", "crop_damage_area>total_loss"),
    ("crop_damage_area", "wildlife_crop_area"),
    ("wildlife_loss", "wildlife_paid"),
    ("wildlife_paid", "ag_ins_claims"),
    ("wildlife_hh", "ag_ins_hh"),
    ("forest_land", "forest_land>collective"),
    ("forest_land", "public_forest"),
    ("forest_land", "forest_land_titled"),
    ("public_forest", "commercial_forest"),
    ("forest_rangers", "rangers_all"),
    ("rangers_all", "fire_fighters"),
    ("forest_fires", "wildlife_incidents"),
    ("burned_area", "forest_land"),
    ("small_reservoirs", "ponds"),
    ("ponds", "reservoirs_and_ponds"),
    ("small_reservoirs", "reservoirs_and_ponds"),
    ("water_pop", "water_pop>tap"),
    ("water_keepers", "river_cleaners"),
    ("river_chiefs", "river_cleaners"),
    ("canals", "river_length"),
    ("river_length", "lines_10kv"),
    ("water_works", "water_sources"),
    ("natural_villages", "natural_villages_4g"),
    ("natural_villages", "natural_villages_broadband"),
    ("natural_villages_broadband", "natural_villages_4g"),
    ("natural_villages_power", "natural_villages"),
    ("broadband_hh", "tv_hh"),
    ("power_users", "hh_total"),
    ("lines_10kv", "lines_lv"),
    ("natural_villages", "groups"),
    ("pop_total", "pop_resident"),
    ("migrant_workers", "transferred_labor"),
    ("transferred_labor", "transferred_labor>out_province"),
    ("transferred_labor", "tuopin_labor>employed"),
    ("tuopin_labor", "tuopin_labor>employed"),
    ("tuopin_pop", "monitor_pop"),
    ("tuopin_hh", "monitor_hh"),
    ("monitor_hh", "monitor_pop"),
    ("monitor_hh", "monitor_hh>cleared"),
    ("public_jobs", "public_jobs_people"),
    ("startup_loans", "startup_loans>women"),
    ("startup_loans", "microcredit_balance"),
    ("returnee_entrepreneurs", "women_entrepreneurs"),
    ("startup_jobs", "tourism_workers"),
    ("yulu_cases", "yulu_money"),
    ("yulu_cases", "hs_grant_pop"),
    ("tourists", "banquet_diners"),
    ("tourism_income", "collective_income"),
    ("nongjiale", "nongjiale_and_homestays"),
    ("nongjiale", "homestays"),
    ("homestays", "small_eateries"),
    ("beds", "dining_seats"),
    ("tourism_driven_hh", "coop_served_hh"),
    ("walnut_area", "walnut_output"),
    ("tea_area", "coffee_area"),
    ("collective_income", "collective_income>business"),
    ("collective_income>business", "collective_op_income"),
    ("collective_op_income", "collective_income"),
    ("collective_assets", "collective_assets>operating"),
    ("collective_assets", "village_debt"),
    ("collective_land", "contract_land_titled"),
    ("collective_land", "cultivated_land"),
    ("disclosures", "asset_disclosures"),
    ("disclosures", "disclosure_boards"),
    ("supervision_members", "supervision_members>party"),
    ("supervision_members", "villager_reps"),
    ("villager_meetings", "supervision_attendance"),
    ("etiquette_councils", "weddings_funerals"),
    ("weddings_funerals", "banquets"),
    ("banquets", "banquets>guided"),
    ("banquets", "banquet_diners"),
    ("food_officers", "food_informants"),
    ("rural_chefs", "food_officers"),
    ("homesteads", "homesteads_surveyed"),
    ("homesteads", "homestead_certs"),
    ("homesteads", "collective_build_plots"),
    ("cultivated_land", "basic_farmland"),
    ("cultivated_land", "grain_area"),
    ("field_chiefs", "field_chiefs_grid"),
    ("illegal_plots", "illegal_plots_fixed"),
    ("fertilizer_use", "fertilizer_supply"),
    ("pesticide_use", "pesticide_supply"),
    ("film_use", "film_supply"),
    ("fertilizer_supply", "fertilizer_supply>compound"),
    ("grain_output", "grain_area"),
    ("village_doctors", "village_doctors>licensed"),
    ("village_doctors", "village_doctors>age60"),
    ("clinic_visits", "outpatient_settled"),
    ("medins_pop", "pop_resident"),
    ("signed_pop", "pop_resident"),
    ("drug_users", "drug_users>community_detox"),
    ("drug_users>community_detox", "drug_users>rehab"),
    ("drug_users", "drug_users>abstinent3"),
    ("drug_campaigns", "drug_audience"),
    ("corrections", "corrections>probation"),
    ("corrections", "corrections_new"),
    ("released", "released>within5"),
    ("released", "released_helped"),
    ("legal_literate", "legal_advisers"),
    ("compulsory_students", "compulsory_students>tuopin"),
    ("compulsory_students", "nutrition_students"),
    ("disabled_children", "disabled_children>home_teaching"),
    ("disabled_children", "disabled_children_out"),
    ("disabled", "disabled>severe"),
    ("subsidy_living_pop", "subsidy_care_pop"),
    ("subsidy_money", "subsidy_living_money"),
    ("subsidy_living_money", "subsidy_care_money"),
    ("disabled>severe", "subsidy_care_pop"),
    ("left_behind_children", "left_behind_children>unsupervised"),
    ("left_behind_children", "distressed_children"),
    ("orphans", "de_facto_orphans"),
    ("left_behind_women", "left_behind_children"),
    ("child_directors", "children_homes"),
    ("houses", "houses>commercial"),
    ("houses_c", "houses_d"),
    ("houses", "dangerous_houses_hh"),
    ("water_sources", "water_sources_protected"),
    ("large_farms", "pigs_stock"),
    ("pop_total", "water_pop"),
    ("hh_total", "tuopin_hh"),
    ("hh_total", "broadband_hh"),
    ("walnut_area", "tea_area"),
    ("disabled_children_out", "dropouts"),
]

# FRESH3's unit sizes plus the units this set adds (kind, size in the kind's base unit); kept here so the
# truth does not come from the code measured. Count units that never convert get their own kind of size 1,
# so that the check below can insist every labelled unit is known. 1 万头 = 10 000 头; 1 万羽 = 10 000 羽;
# 1 千米 = 1 公里 = 1 000 米.
UNIT_SIZE: dict[str, tuple[str, float]] = {
    **FRESH3_UNIT_SIZE,
    "头": ("head", 1.0),
    "万头": ("head", 10_000.0),
    "只": ("small_head", 1.0),
    "羽": ("birds", 1.0),
    "万羽": ("birds", 10_000.0),
    "千米": ("length", 1_000.0),
    "户": ("households", 1.0),
    "户次": ("household_visits", 1.0),
    "起": ("incidents", 1.0),
    "件": ("cases", 1.0),
    "本": ("certificates", 1.0),
    "宗": ("parcels", 1.0),
    "座": ("structures", 1.0),
    "栋": ("buildings", 1.0),
    "口": ("wells", 1.0),
    "条": ("lines", 1.0),
    "台": ("machines", 1.0),
    "千伏安": ("power_capacity", 1.0),
    "万千瓦时": ("energy", 10_000.0),
    "支": ("teams", 1.0),
    "次": ("times", 1.0),
    "场次": ("sessions", 1.0),
    "家": ("businesses", 1.0),
    "张": ("beds", 1.0),
    "块": ("boards", 1.0),
    "株": ("plants", 1.0),
    "%": ("percent", 1.0),
}


def true_factor(unit_a: str | None, unit_b: str | None) -> float | None:
    """The factor between two labelled units, same meaning as FRESH's (a value in unit a × factor = in unit b)."""
    return factor_in(UNIT_SIZE, unit_a, unit_b)


def true_pairs(specs: list[FormSpec]) -> dict[tuple[tuple[int, int], tuple[int, int]], float | None]:
    """Every pair of columns of different forms labelled with the same datum, with its true unit factor."""
    return pairs_by_concept(specs, true_factor)


def label_problems(specs: list[FormSpec]) -> list[str]:
    """What is wrong with the labels: a unit outside UNIT_SIZE, one concept in units of different kinds,
    a near-miss naming a concept no form collects, or a near-miss that is labelled a true pair."""
    problems: list[str] = []
    kinds: dict[str, set[str]] = {}
    for spec in specs:
        for col in spec.flat():
            if not col.concept or col.unit is None:
                continue
            if col.unit not in UNIT_SIZE:
                problems.append(f"{spec.title}: {col.header} in unknown unit {col.unit}")
                continue
            kinds.setdefault(col.concept, set()).add(UNIT_SIZE[col.unit][0])
    problems += [f"{c}: units of kinds {sorted(k)}" for c, k in kinds.items() if len(k) > 1]
    concepts = {col.concept for spec in specs for col in spec.flat() if col.concept}
    for a, b in NEAR_MISSES:
        problems += [f"near miss names unknown concept {c}" for c in (a, b) if c not in concepts]
        if a == b:
            problems.append(f"near miss {a} pairs a concept with itself")
    return problems


def written_and_read_back(specs: list[FormSpec], folder: Path) -> int:
    """Write every form as its department would upload it and read it back; the number of files."""
    for spec in specs:
        path = folder / spec.filename
        path.write_bytes(form_bytes(spec))
        if spec.fmt == "xlsx":
            sheet = load_workbook(path).active
            assert sheet is not None
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        else:
            text = path.read_bytes().decode("gbk" if spec.fmt == "csv-gbk" else "utf-8-sig")
            rows = list(csv.reader(io.StringIO(text)))
        if len(rows) != len(form_rows(spec)[0]):
            raise ValueError(f"{spec.filename}: {len(rows)} rows read back")
    return len(specs)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        files = written_and_read_back(FRESH4, Path(tmp))
    truth = true_pairs(FRESH4)
    print(
        f"{files} forms written and read back, {len({s.department for s in FRESH4})} departments, "
        f"{len(truth)} true pairs, {sum(f not in (1.0, None) for f in truth.values())} with a unit factor, "
        f"{len(NEAR_MISSES)} near misses; label problems: {label_problems(FRESH4) or 'none'}"
    )
