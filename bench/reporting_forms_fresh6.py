"""A sixth held-out set of county department forms for the overlap finder (issue 14), written before any run.

Written by an engineer who had not read `cunwu/reporting/compare.py`, `fields.py`, `formfiles.py`,
`cunwu/matching/`, `data/lexicon/`, `bench/bench_reporting.py`, `docs/reporting.md`, `docs/benchmarks.md`
or the benchmark history, and without running the finder or the bench on it; its first run is the honest
figure. Only `bench/reporting_forms_fresh5.py` (format, unit table, self-check), the sheet writer
`cunwu/reporting/tests/sheets.py`, the SERIAL/TOWNSHIP/VILLAGE/key/sign helpers and `factor_in`/
`pairs_by_concept` of the earlier sets, and the titles of the earlier sets (printed to keep topics apart)
were read. The forms were written from what Yunnan county departments send to villages and communities,
not from any vocabulary in the code.

Labels follow `bench/reporting_forms.py`: each data column carries the datum it collects (`concept`) and
the unit its values are in; two columns of different forms are a true pair exactly when their concepts are
equal (a county statistician could reuse one form's value in the other directly), and the unit factor
follows from the two units (`true_factor`: a value in unit a × factor = the value in unit b). A concept
written `total>part` is a 其中 part, its own datum. `python -m bench.reporting_forms_fresh6` writes every
form as a file, reads it back, checks the labels (`label_problems`) and prints the counts: 36 forms of 29
departments (four forms of county-town and relocation communities, four of county branches of prefecture
bureaus and upper-level agencies: 生态环境, 自然资源, 税务, 供电), 86 true pairs (29 with a unit factor
other than 1), 116 near misses.

About half the topics are new to the held-out sets (村（社区）基本情况信息采集, 城镇新增就业和登记失业（社区）,
社区居家养老和老年助餐, 3岁以下婴幼儿照护和托育, 艾滋病和结核病防治, 生源地信用助学贷款, 兵役登记和征兵,
易地搬迁安置社区后续扶持, 茶叶产业, 核桃等经济林, 退耕还林和公益林补偿, 惠农补贴资金兑付, 狂犬病犬只免疫,
户用光伏和沼气, 分布式光伏并网, 城镇老旧小区改造和燃气安全（社区）, 电信网络诈骗防范, 民族团结进步创建,
农村黑臭水体（州生态环境局分局）, 卫片图斑核查（市自然资源和规划局分局）, 农户科学储粮); the rest are on common
village data (户籍人口和户数, 常住人口, 劳动力转移, 耕地和粮食, 畜禽存栏, 农民收入和集体经济, 防返贫监测, 低保特困,
老年人和残疾人, 医保参保缴费, 义务教育学生, 农房安全, 供水和道路, 汛期灾害) so that real overlaps exist between
departments. Hard in the ways real forms are: one datum under different names (年末户籍人口/总人口/户籍人口数,
干毛茶产量/茶叶产量, 脱贫劳动力务工就业/其中：脱贫劳动力转移就业, 已缴费人数/参保人数), units that differ
(亩/公顷/万亩, 吨/公斤, 头/万头, 羽/万羽, 千瓦/万千瓦, 元/千元/万元, 公里/米), measure-over-types headers
(兑付金额 over 补贴项目; 资助参保人数 over 对象类别) and topic-over-measures headers (粮食/茶园/核桃 over 面积/产量),
a unit row under bare headers, units in a 单位：line, 其中 parts, 户/人/人次/个/处/口/条 kept apart, one GBK and
one UTF-8 CSV, community forms of the county town and forms of prefecture bureaus' county branches, and near
misses that must not pair (NEAR_MISSES): 出生登记 against 出生人口, 外出务工 against 转移就业, 城镇登记失业 against
就业困难人员, 持证残疾人 against 一、二级, 茶园面积 against 采摘面积, 退耕还林面积 against 公益林面积, 并网户数
against 用电户数, 全部直接经济损失 against 农业直接经济损失, 永久基本农田 against 耕地, 补贴面积 against 耕地面积.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from bench.reporting_forms import SERIAL, TOWNSHIP, VILLAGE, key, sign
from bench.reporting_forms_fresh import factor_in, pairs_by_concept
from bench.reporting_forms_fresh5 import UNIT_SIZE as FRESH5_UNIT_SIZE
from cunwu.reporting.tests.sheets import Col, FormSpec, Group, form_bytes, form_rows

D = "decimal"
P = "percentage"
COMMUNITIES = ("城南社区居民委员会", "城北社区居民委员会", "文笔社区居民委员会")
RELOCATION = ("幸福社区（安置区）", "同心社区（安置区）", "阳光社区（安置区）")

FRESH6: list[FormSpec] = [
    FormSpec(
        "县公安局",
        "2029年末户籍人口和户数分村（社区）统计表",
        [
            key("派出所"),
            key("村（社区）"),
            Col("年末户籍户数（户）", "hh_hukou", "户"),
            Col("年末户籍人口（人）", "pop_hukou", "人"),
            Col("其中：少数民族（人）", "pop_hukou>minority", "人"),
            Col("其中：60周岁以上（人）", "elderly60", "人"),
            Col("其中：80周岁以上（人）", "elderly80", "人"),
            Col("本年出生登记（人）", "births_registered", "人"),
            Col("本年死亡注销（人）", "deaths_registered", "人"),
            Col("本年迁入（人）", "moved_in", "人"),
            Col("本年迁出（人）", "moved_out", "人"),
            sign("户籍民警"),
        ],
        meta=["填报单位：          派出所（盖章）", "统计时间：2029年12月31日"],
        footer="户籍民警：          所长：          报送日期：",
        fmt="csv-gbk",
    ),
    FormSpec(
        "县统计局",
        "农村基本情况和农业生产统计年报表（村级）",
        [
            TOWNSHIP,
            VILLAGE,
            Col("总户数", "hh_hukou", "户", unit_cell="户"),
            Col("总人口", "pop_hukou", "人", unit_cell="人"),
            Col("常住人口", "pop_resident", "人", unit_cell="人"),
            Col("村民小组", "groups", "个", unit_cell="个"),
            Col("乡村从业人员", "rural_employed", "人", unit_cell="人"),
            Col("外出务工劳动力", "migrant_out", "人", unit_cell="人"),
            Col("自然村", "natural_villages", "个", unit_cell="个"),
            Col("年末耕地面积", "cultivated_land", "公顷", type=D, unit_cell="公顷"),
            Group(
                "粮食",
                (
                    Col("播种面积", "grain_area", "公顷", type=D, unit_cell="公顷"),
                    Col("产量", "grain_output", "吨", type=D, unit_cell="吨"),
                ),
            ),
            Group(
                "茶园",
                (
                    Col("年末面积", "tea_area", "公顷", type=D, unit_cell="公顷"),
                    Col("茶叶产量", "tea_output", "吨", type=D, unit_cell="吨"),
                ),
            ),
            Group(
                "核桃",
                (
                    Col("年末面积", "walnut_area", "公顷", type=D, unit_cell="公顷"),
                    Col("产量", "walnut_output", "吨", type=D, unit_cell="吨"),
                ),
            ),
            Col("农村常住居民人均可支配收入", "farmer_income", "元", type=D, unit_cell="元"),
            Col("村集体经济收入", "collective_income", "千元", type=D, unit_cell="千元"),
        ],
        unit_row=True,
        meta=["填报单位：", "报告期：2029年"],
        footer="单位负责人：          统计负责人：          填表人：          报出日期：",
    ),
    FormSpec(
        "县委组织部",
        "村（社区）基本情况信息采集表",
        [
            SERIAL,
            key("乡镇（街道）"),
            key("村（社区）名称"),
            Col("户籍户数（户）", "hh_hukou", "户"),
            Col("户籍人口（人）", "pop_hukou", "人"),
            Col("常住人口（人）", "pop_resident", "人"),
            Col("村（居）民小组（个）", "groups", "个"),
            Col("自然村（个）", "natural_villages", "个"),
            Col("党员（名）", "party_members", "名"),
            Col("全村耕地面积（亩）", "cultivated_land", "亩", type=D),
            Col("外出务工人员（人）", "migrant_out", "人"),
            Col("脱贫户（户）", "tuopin_hh", "户"),
            Col("脱贫人口（人）", "tuopin_pop", "人"),
            Col("监测户（户）", "monitor_hh", "户"),
            Col("农村低保户（户）", "dibao_hh", "户"),
            Col("农民人均可支配收入（元）", "farmer_income", "元", type=D),
            Col("村集体经济收入（万元）", "collective_income", "万元", type=D),
            sign("村（社区）党组织书记"),
        ],
        meta=["填报单位（盖章）：", "信息采集时间：    年  月  日"],
        footer="填表人：          村（社区）党组织书记（签字）：          乡镇（街道）组织委员审核：",
    ),
    FormSpec(
        "县民族宗教事务局",
        "民族团结进步示范村（社区）创建和少数民族人口情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            key("村（社区）"),
            Col("户籍户数（户）", "hh_hukou", "户"),
            Col("户籍人口数（人）", "pop_hukou", "人"),
            Col("少数民族人口（人）", "pop_hukou>minority", "人"),
            Col("世居少数民族（个）", "ethnic_groups", "个"),
            Col("是否命名为示范村（社区）", "unity_demo", type="yesno"),
            Col("开展民族团结宣传活动（场次）", "unity_events", "场次"),
            Col("争取示范创建资金（万元）", "unity_funds", "万元", type=D),
            sign("联络员"),
        ],
        meta=["填报单位：          乡（镇）人民政府（盖章）", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县农业农村局",
        "村级集体经济发展和农民收入情况统计表",
        [
            SERIAL,
            key("乡（镇）"),
            key("村委会"),
            Col("村集体经济总收入（万元）", "collective_income", "万元", type=D),
            Col("其中：经营性收入（万元）", "collective_income>operating", "万元", type=D),
            Col("村集体资产总额（万元）", "collective_assets", "万元", type=D),
            Col("承包耕地面积（亩）", "contracted_land", "亩", type=D),
            Col("土地流转面积（亩）", "land_transferred", "亩", type=D),
            Col("农村居民人均可支配收入（元）", "farmer_income", "元", type=D),
            Col("耕地地力保护补贴面积（亩）", "farmland_subsidy_area", "亩", type=D),
            Col("耕地地力保护补贴（元）", "farmland_subsidy_money", "元", type=D),
            sign("村报账员"),
        ],
        meta=["填报单位：          乡（镇）农业农村综合服务中心（盖章）", "统计年度：2029年"],
    ),
    FormSpec(
        "县农业农村局",
        "防止返贫致贫监测对象和脱贫人口帮扶措施落实情况月报表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("脱贫户（户）", "tuopin_hh", "户"),
            Col("脱贫人口（人）", "tuopin_pop", "人"),
            Col("监测对象户数（户）", "monitor_hh", "户"),
            Col("监测对象人数（人）", "monitor_pop", "人"),
            Col("其中：已消除风险（人）", "monitor_pop>cleared", "人"),
            Col("脱贫劳动力务工就业（人）", "transferred>tuopin", "人"),
            Col("脱贫人口参加基本医保（人）", "medins_insured>tuopin", "人"),
            Col("脱贫家庭义务教育阶段学生（人）", "tuopin_students", "人"),
            Col("选聘生态护林员（人）", "rangers", "人"),
            Col("脱贫人口人均纯收入（元）", "tuopin_income", "元", type=D),
            sign("驻村工作队长"),
        ],
        meta=["填报单位：          乡（镇）（盖章）", "截至：2029年  月底"],
        footer="填报人：          驻村第一书记：          乡（镇）分管领导：",
    ),
    FormSpec(
        "县人力资源和社会保障局",
        "农村劳动力转移就业监测统计表（分村）",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("农村劳动力（人）", "rural_labor", "人"),
            Group(
                "转移就业人数（人）",
                (
                    Col("合计", "transferred", "人"),
                    Col("其中：省外", "transferred>out_province", "人"),
                    Col("其中：脱贫劳动力", "transferred>tuopin", "人"),
                    Col("其中：易地搬迁劳动力", "relocated_employed", "人"),
                ),
            ),
            Col("劳务收入（万元）", "labor_income", "万元", type=D),
            Col("职业技能培训（人次）", "skills_training", "人次"),
            Col("乡村公益性岗位安置（人）", "public_posts", "人"),
            sign("劳动保障协理员"),
        ],
        meta=["填报单位：          乡（镇）劳动保障所（盖章）", "统计时间：    年  月"],
    ),
    FormSpec(
        "县人力资源和社会保障局",
        "城镇新增就业和失业人员再就业情况统计表（社区）",
        [
            SERIAL,
            key("社区"),
            Col("城镇新增就业（人）", "new_jobs", "人"),
            Col("城镇登记失业人员（人）", "registered_unemployed", "人"),
            Col("失业人员再就业（人）", "reemployed", "人"),
            Col("就业困难人员实现就业（人）", "hard_employed", "人"),
            Col("城镇公益性岗位安置（人）", "urban_public_posts", "人"),
            Col("发放创业担保贷款（万元）", "startup_loans", "万元", type=D),
            Col("组织招聘活动（场次）", "job_fairs", "场次"),
            sign("社区就业专干"),
        ],
        meta=["填报单位：          街道（镇）劳动保障所", "统计时间：2029年1月至  月"],
        villages=COMMUNITIES,
    ),
    FormSpec(
        "县民政局",
        "城乡最低生活保障和特困人员救助供养情况月报表",
        [
            SERIAL,
            key("乡（镇）"),
            key("村（社区）"),
            Col("农村低保户数（户）", "dibao_hh", "户"),
            Col("农村低保人数（人）", "dibao_pop", "人"),
            Col("城市低保人数（人）", "urban_dibao_pop", "人"),
            Col("特困供养人员（人）", "tekun_pop", "人"),
            Col("其中：集中供养（人）", "tekun_pop>central", "人"),
            Col("低保金支出（元）", "dibao_money", "元", type=D),
            Col("临时救助（人次）", "temp_aid", "人次"),
            sign("社会救助协理员"),
        ],
        meta=["填报单位：          乡（镇）民政办（盖章）", "统计时间：2029年  月"],
    ),
    FormSpec(
        "县民政局",
        "社区居家养老服务和老年助餐情况统计表",
        [
            SERIAL,
            key("社区名称"),
            Col("60周岁以上老年人（人）", "elderly60", "人"),
            Col("80周岁以上老年人（人）", "elderly80", "人"),
            Col("独居、空巢老年人（人）", "empty_nest_elderly", "人"),
            Col("城市低保对象（人）", "urban_dibao_pop", "人"),
            Col("特困人员（人）", "tekun_pop", "人"),
            Col("持证残疾人（人）", "disabled_certified", "人"),
            Col("社区居家养老服务站（个）", "elder_stations", "个"),
            Col("老年助餐点（个）", "meal_points", "个"),
            Col("助餐服务（人次）", "meal_visits", "人次"),
            Col("发放高龄津贴（元）", "elderly_allowance_money", "元", type=D),
            sign("社区负责人"),
        ],
        meta=["填报单位：          社区居民委员会（盖章）", "填报日期：    年  月  日"],
        villages=COMMUNITIES,
        fmt="csv-utf8",
    ),
    FormSpec(
        "县卫生健康局",
        "3岁以下婴幼儿照护服务和出生人口情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            key("村（社区）"),
            Col("常住人口（人）", "pop_resident", "人"),
            Col("本年出生人口（人）", "births", "人"),
            Col("其中：二孩及以上（人）", "births>second", "人"),
            Col("3岁以下婴幼儿（人）", "infants", "人"),
            Col("托育机构（个）", "nurseries", "个"),
            Col("托位数（个）", "nursery_places", "个"),
            Col("婴幼儿家庭养育指导（户次）", "parenting_visits", "户次"),
            sign("村卫生室负责人"),
        ],
        meta=["填报单位：          乡（镇）卫生院", "统计时间：2029年"],
    ),
    FormSpec(
        "县疾病预防控制中心",
        "艾滋病防治和肺结核患者健康管理情况统计表",
        [
            SERIAL,
            key("乡（镇）卫生院"),
            key("村（社区）"),
            Col("常住人口（人）", "pop_resident", "人"),
            Col("现存活艾滋病感染者和病人（人）", "hiv_living", "人"),
            Col("其中：接受抗病毒治疗（人）", "hiv_living>treated", "人"),
            Col("艾滋病检测（人次）", "hiv_tests", "人次"),
            Col("肺结核患者规范管理（人）", "tb_managed", "人"),
            Col("宣传教育覆盖（人次）", "health_talk_audience", "人次"),
            sign("防艾专干"),
        ],
        meta=["填报单位：          乡（镇）卫生院（盖章）", "统计时间：    年第  季度"],
        column_numbers=True,
    ),
    FormSpec(
        "县医疗保障局",
        "城乡居民基本医疗保险参保和医疗救助资助参保情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("参保人数（人）", "medins_insured", "人"),
            Col("个人缴费金额（元）", "medins_fee", "元", type=D),
            Col("脱贫人口（人）", "tuopin_pop", "人"),
            Col("其中：已参保（人）", "medins_insured>tuopin", "人"),
            Col("监测对象（人）", "monitor_pop", "人"),
            Group(
                "资助参保人数（人）",
                (
                    Col("特困人员", "medins_subsidized>tekun", "人"),
                    Col("低保对象", "medins_subsidized>dibao", "人"),
                    Col("监测对象", "medins_subsidized>monitor", "人"),
                ),
            ),
            Col("门诊慢特病待遇（人）", "chronic_cards", "人"),
            sign("医保专干"),
        ],
        meta=["填报单位：          乡（镇）医保工作站", "截至：    年  月  日"],
    ),
    FormSpec(
        "国家税务总局县税务局",
        "2030年度城乡居民医疗保险费征缴进度表",
        [
            SERIAL,
            key("乡镇（街道）"),
            key("村（社区）"),
            Col("已缴费人数（人）", "medins_insured", "人"),
            Col("征收金额（万元）", "medins_fee", "万元", type=D),
            Col("通过“云南税务”缴费（人）", "medins_app_paid", "人"),
            Col("代缴单位代缴（人）", "medins_proxy_paid", "人"),
            sign("征收员"),
        ],
        meta=["填报单位：          税务分局（所）", "征收期：2029年9月1日至12月31日"],
    ),
    FormSpec(
        "县残疾人联合会",
        "持证残疾人基本状况和两项补贴发放情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("在册持证残疾人（人）", "disabled_certified", "人"),
            Col("其中：一、二级（人）", "disabled_certified>severe", "人"),
            Col("享受困难残疾人生活补贴（人）", "living_subsidy_pop", "人"),
            Col("享受重度残疾人护理补贴（人）", "care_subsidy_pop", "人"),
            Col("两项补贴发放金额（元）", "two_subsidy_money", "元", type=D),
            Col("就业残疾人（人）", "disabled_employed", "人"),
            sign("残疾人专职委员"),
        ],
        meta=["填报单位：          乡（镇）残联（盖章）", "统计时间：    年  月"],
    ),
    FormSpec(
        "县教育体育局",
        "生源地信用助学贷款和义务教育在校生情况统计表",
        [
            SERIAL,
            key("乡（镇）"),
            key("户籍所在村（社区）"),
            Col("义务教育阶段在校生（人）", "students_compulsory", "人"),
            Col("其中：小学（人）", "students_compulsory>primary", "人"),
            Col("脱贫家庭学生（人）", "tuopin_students", "人"),
            Col("在读全日制普通高校学生（人）", "college_students", "人"),
            Col("办理生源地助学贷款（人）", "student_loan_pop", "人"),
            Col("贷款金额（万元）", "student_loan_money", "万元", type=D),
            sign("学生资助联络员"),
        ],
        meta=["填报单位：          乡（镇）中心学校（盖章）", "学年：2029—2030学年"],
    ),
    FormSpec(
        "县人民武装部",
        "2030年度兵役登记和征兵工作情况统计表",
        [
            SERIAL,
            key("乡镇武装部"),
            key("村（社区）"),
            Col("18至22周岁男性公民（人）", "draft_age_men", "人"),
            Col("完成兵役登记（人）", "draft_registered", "人"),
            Col("初检初考合格（人）", "draft_passed", "人"),
            Col("批准入伍（人）", "enlisted", "人"),
            Col("其中：大学生（人）", "enlisted>college", "人"),
            Col("发放义务兵家庭优待金（万元）", "soldier_family_money", "万元", type=D),
            sign("民兵连长"),
        ],
        meta=["填报单位：          乡镇人民武装部（盖章）", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县发展和改革局",
        "易地扶贫搬迁集中安置区后续扶持情况统计表",
        [
            SERIAL,
            key("安置社区"),
            Col("搬迁户数（户）", "relocated_hh", "户"),
            Col("搬迁人口（人）", "relocated_pop", "人"),
            Col("有劳动力的搬迁家庭（户）", "relocated_labor_hh", "户"),
            Col("已就业搬迁劳动力（人）", "relocated_employed", "人"),
            Col("就业帮扶车间（个）", "workshops", "个"),
            Col("配套产业项目（个）", "relocation_projects", "个"),
            Col("后续扶持资金（万元）", "relocation_funds", "万元", type=D),
            sign("社区书记"),
        ],
        meta=["填报单位：          街道（乡镇）（盖章）", "统计时间：    年  月"],
        villages=RELOCATION,
    ),
    FormSpec(
        "县茶叶产业发展中心",
        "茶叶产业基本情况统计表",
        [
            SERIAL,
            key("乡（镇）"),
            key("村委会"),
            Col("茶园面积（万亩）", "tea_area", "万亩", type=D),
            Col("其中：采摘面积（万亩）", "tea_area>picking", "万亩", type=D),
            Col("有机茶园认证面积（亩）", "tea_area>organic", "亩", type=D),
            Col("茶农（户）", "tea_hh", "户"),
            Col("干毛茶产量（吨）", "tea_output", "吨", type=D),
            Col("茶叶产值（万元）", "tea_value", "万元", type=D),
            Col("初制所（个）", "tea_factories", "个"),
        ],
        meta=["填报单位：          乡（镇）农业农村综合服务中心", "统计年度：2029年"],
    ),
    FormSpec(
        "县林业和草原局",
        "核桃等经济林种植和产品产量情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Group(
                "核桃",
                (
                    Col("种植面积（亩）", "walnut_area", "亩", type=D),
                    Col("其中：挂果面积（亩）", "walnut_area>bearing", "亩", type=D),
                    Col("产量（公斤）", "walnut_output", "公斤", type=D),
                ),
            ),
            Group(
                "茶叶",
                (
                    Col("种植面积（亩）", "tea_area", "亩", type=D),
                    Col("产量（公斤）", "tea_output", "公斤", type=D),
                ),
            ),
            Col("经济林产值（万元）", "econ_forest_value", "万元", type=D),
            sign("林草站负责人"),
        ],
        meta=["填报单位：          乡（镇）林业和草原服务中心（盖章）", "统计年度：2029年"],
    ),
    FormSpec(
        "县林业和草原局",
        "退耕还林还草和公益林生态效益补偿资金兑现情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("累计实施退耕还林面积（亩）", "returned_forest_area", "亩", type=D),
            Col("涉及农户（户）", "returned_forest_hh", "户"),
            Col("兑现退耕还林补助（元）", "returned_forest_money", "元", type=D),
            Col("公益林面积（万亩）", "public_forest_area", "万亩", type=D),
            Col("兑现生态效益补偿（元）", "eco_comp_money", "元", type=D),
            Col("生态护林员（人）", "rangers", "人"),
            sign("村级公示人"),
        ],
        meta=["填报单位：          林业和草原服务中心", "兑现年度：2029年"],
        footer="经办人：          村委会主任：          林草站审核：",
    ),
    FormSpec(
        "县财政局",
        "2029年惠农补贴资金兑付情况汇总表",
        [
            SERIAL,
            key("乡（镇）"),
            key("村（社区）"),
            Group(
                "兑付金额",
                (
                    Col("耕地地力保护补贴", "farmland_subsidy_money", "万元", type=D),
                    Col("退耕还林补助", "returned_forest_money", "万元", type=D),
                    Col("生态效益补偿", "eco_comp_money", "万元", type=D),
                    Col("农村低保金", "dibao_money", "万元", type=D),
                    Col("高龄津贴", "elderly_allowance_money", "万元", type=D),
                    Col("残疾人两项补贴", "two_subsidy_money", "万元", type=D),
                    Col("农村危房改造补助", "houses_money", "万元", type=D),
                ),
            ),
            Col("耕地地力保护补贴面积（万亩）", "farmland_subsidy_area", "万亩", type=D),
            Col("兑付户数（户）", "subsidy_hh", "户"),
            sign("财政所经办人"),
        ],
        meta=["填报单位：          乡（镇）财政所（盖章）", "单位：万元"],
    ),
    FormSpec(
        "县动物疫病预防控制中心",
        "犬只狂犬病免疫和畜禽存栏情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("犬只存栏（只）", "dogs", "只"),
            Col("其中：狂犬病免疫（只）", "dogs>immunized", "只"),
            Col("生猪存栏（头）", "pig_stock", "头"),
            Col("牛存栏（头）", "cattle_stock", "头"),
            Col("羊存栏（只）", "sheep_stock", "只"),
            Col("家禽存栏（羽）", "poultry_stock", "羽"),
            Col("村级防疫员（人）", "animal_vets", "人"),
            sign("村级防疫员"),
        ],
        meta=["填报单位：          乡（镇）畜牧兽医站", "统计时间：    年  月"],
    ),
    FormSpec(
        "县畜牧技术推广站",
        "畜禽生产情况统计季报表",
        [
            TOWNSHIP,
            VILLAGE,
            Col("生猪存栏（万头）", "pig_stock", "万头", type=D),
            Col("生猪出栏（万头）", "pig_slaughter", "万头", type=D),
            Col("牛存栏（头）", "cattle_stock", "头"),
            Col("其中：能繁母牛（头）", "cattle_stock>breeding", "头"),
            Col("牛出栏（头）", "cattle_slaughter", "头"),
            Col("羊存栏（只）", "sheep_stock", "只"),
            Col("家禽存栏（万羽）", "poultry_stock", "万羽", type=D),
            Col("规模养殖场（个）", "large_farms", "个"),
        ],
        meta=["填报单位：", "报告期：2029年第  季度"],
        footer="单位负责人：          填表人：          报出日期：",
    ),
    FormSpec(
        "县能源局",
        "农村户用光伏和户用沼气情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("安装户用光伏（户）", "pv_hh", "户"),
            Col("装机容量（千瓦）", "pv_capacity", "千瓦", type=D),
            Col("户用沼气池（口）", "biogas_digesters", "口"),
            Col("其中：正常使用（口）", "biogas_digesters>used", "口"),
            Col("太阳能热水器（户）", "solar_heaters", "户"),
            Col("节柴改灶（户）", "stoves", "户"),
        ],
        meta=["填报单位：          乡（镇）农业农村综合服务中心", "截至：    年  月  日"],
    ),
    FormSpec(
        "云南电网有限责任公司县供电局",
        "分布式光伏并网和农村用电情况统计表",
        [
            SERIAL,
            key("供电所"),
            key("村（社区）"),
            Col("并网户用光伏（户）", "pv_hh", "户"),
            Col("并网容量（万千瓦）", "pv_capacity", "万千瓦", type=D),
            Col("用电户数（户）", "power_users", "户"),
            Col("年用电量（万千瓦时）", "power_use", "万千瓦时", type=D),
            Col("配电变压器（台）", "transformers", "台"),
            sign("台区经理"),
        ],
        meta=["填报单位：          供电所", "统计时间：2029年"],
    ),
    FormSpec(
        "县住房和城乡建设局",
        "农村房屋安全隐患排查和危房改造情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("农户数（户）", "rural_houses_hh", "户"),
            Col("鉴定为C级危房（户）", "c_houses", "户"),
            Col("鉴定为D级危房（户）", "d_houses", "户"),
            Col("完成改造（户）", "houses_renovated", "户"),
            Col("因灾损坏农房（户）", "damaged_houses_hh", "户"),
            Col("补助资金（万元）", "houses_money", "万元", type=D),
            sign("村级农房管理员"),
        ],
        meta=["填报单位：          乡（镇）村镇规划建设服务中心（盖章）", "截至：    年  月  日"],
    ),
    FormSpec(
        "县住房和城乡建设局",
        "城镇老旧小区改造和瓶装液化石油气用户安全排查情况表",
        [
            SERIAL,
            key("社区"),
            Col("老旧小区（个）", "old_estates", "个"),
            Col("涉及居民（户）", "old_estates_hh", "户"),
            Col("改造建筑面积（平方米）", "old_estates_area", "平方米", type=D),
            Col("加装电梯（台）", "elevators", "台"),
            Col("瓶装液化石油气用户（户）", "gas_users", "户"),
            Col("已安装燃气报警器（户）", "gas_users>alarm", "户"),
            Col("排查隐患（处）", "gas_hazards", "处"),
            sign("网格员"),
        ],
        meta=["填报单位：          社区居民委员会", "填报日期：    年  月  日"],
        villages=COMMUNITIES,
    ),
    FormSpec(
        "县公安局",
        "电信网络诈骗防范宣传和发案情况统计表",
        [
            SERIAL,
            key("派出所"),
            key("村（社区）"),
            Col("发案（起）", "fraud_cases", "起"),
            Col("群众损失金额（万元）", "fraud_loss", "万元", type=D),
            Col("国家反诈中心APP注册（人）", "anti_fraud_app", "人"),
            Col("开展防范宣传（场次）", "fraud_talks", "场次"),
            Col("宣传覆盖群众（人次）", "fraud_audience", "人次"),
            sign("社区民警"),
        ],
        meta=["填报单位：          派出所", "统计时间：    年  月"],
    ),
    FormSpec(
        "县交通运输局",
        "农村公路“路长制”和通村通组道路情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("村民小组（个）", "groups", "个"),
            Col("自然村（个）", "natural_villages", "个"),
            Col("其中：通硬化路（个）", "natural_villages>paved", "个"),
            Col("辖区通村公路里程（公里）", "village_road_km", "公里", type=D),
            Col("通组硬化路（公里）", "group_road_km", "公里", type=D),
            Col("村级路长（人）", "road_chiefs", "人"),
            Col("汛期水毁村组道路（米）", "road_flood_damage", "米", type=D),
            sign("村级路长"),
        ],
        meta=["填报单位：          乡（镇）交通运输管理所", "截至：    年  月  日"],
    ),
    FormSpec(
        "县水务局",
        "农村供水工程和饮水安全保障情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("农村供水人口（人）", "water_pop", "人"),
            Col("集中供水工程（处）", "water_works", "处"),
            Col("通自来水自然村（个）", "natural_villages>tap", "个"),
            Col("农村自来水普及率（%）", "tap_rate", "%", type=P),
            Col("供水管网（公里）", "pipes_km", "公里", type=D),
            Col("因旱饮水困难人口（人）", "drought_water_pop", "人"),
            sign("村级管水员"),
        ],
        meta=["填报单位：          乡（镇）水务站", "截至：    年  月  日"],
    ),
    FormSpec(
        "县应急管理局",
        "2029年汛期自然灾害损失和转移避险情况统计表",
        [
            key("乡（镇）"),
            key("村（社区）"),
            Col("受灾人口（人）", "disaster_pop", "人"),
            Col("紧急转移安置（人）", "evacuated", "人"),
            Col("因旱饮水困难（人）", "drought_water_pop", "人"),
            Col("农作物受灾面积（公顷）", "crop_damage", "公顷", type=D),
            Col("其中：绝收（公顷）", "crop_damage>total_loss", "公顷", type=D),
            Col("损坏房屋（户）", "damaged_houses_hh", "户"),
            Col("损毁村组道路（公里）", "road_flood_damage", "公里", type=D),
            Col("直接经济损失（万元）", "disaster_loss", "万元", type=D),
            sign("灾害信息员"),
        ],
        meta=["填报单位：          乡（镇）应急管理办公室（盖章）", "统计时段：2029年5月1日至10月31日"],
        footer="灾害信息员：          分管领导：          联系电话：",
    ),
    FormSpec(
        "县农业农村局",
        "农业灾情统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("受灾农户（户）", "disaster_farm_hh", "户"),
            Col("农作物受灾面积（亩）", "crop_damage", "亩", type=D),
            Col("其中：绝收面积（亩）", "crop_damage>total_loss", "亩", type=D),
            Col("死亡畜禽（头只）", "livestock_deaths", "头只"),
            Col("农业直接经济损失（元）", "agri_loss", "元", type=D),
            sign("农技员"),
        ],
        meta=["填报单位：          乡（镇）农业农村综合服务中心", "灾害发生时间：    年  月  日"],
    ),
    FormSpec(
        "州生态环境局县分局",
        "农村黑臭水体和生活污水治理情况调查表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("黑臭水体（条）", "black_water", "条"),
            Col("其中：已完成整治（条）", "black_water>fixed", "条"),
            Col("生活污水得到治理的农户（户）", "sewage_hh", "户"),
            Col("污水处理设施（座）", "sewage_facilities", "座"),
            Col("千人以上集中式饮用水水源地（个）", "water_sources", "个"),
            Col("水源地服务人口（人）", "water_source_pop", "人"),
            sign("村级环保监督员"),
        ],
        meta=["填报单位：          乡（镇）人民政府（盖章）", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "市自然资源和规划局县分局",
        "耕地和永久基本农田保护及卫片图斑核查情况表",
        [
            SERIAL,
            key("自然资源所"),
            key("村（社区）"),
            Col("耕地面积（公顷）", "cultivated_land", "公顷", type=D),
            Col("永久基本农田（公顷）", "basic_farmland", "公顷", type=D),
            Col("下发卫片图斑（个）", "satellite_spots", "个"),
            Col("其中：违法占用耕地（亩）", "illegal_land_use", "亩", type=D),
            Col("村级田长（人）", "field_chiefs", "人"),
            sign("自然资源所所长"),
        ],
        meta=["填报单位：          自然资源所", "截至：    年  月  日"],
    ),
    FormSpec(
        "县粮食和物资储备局",
        "农户科学储粮和粮食生产情况调查表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("耕地面积（亩）", "cultivated_land", "亩", type=D),
            Col("粮食播种面积（亩）", "grain_area", "亩", type=D),
            Col("粮食产量（公斤）", "grain_output", "公斤", type=D),
            Col("农户存粮（吨）", "farm_grain_stock", "吨", type=D),
            Col("配发科学储粮装具（个）", "grain_bins", "个"),
            sign("调查员"),
        ],
        meta=["填报单位：          乡（镇）（盖章）", "调查时间：    年  月"],
    ),
]

# Concepts that look alike but are different data: no county statistician would reuse one for the other.
NEAR_MISSES: list[tuple[str, str]] = [
    ("hh_hukou", "pop_hukou"),
    ("pop_hukou", "pop_resident"),
    ("pop_hukou", "pop_hukou>minority"),
    ("pop_hukou>minority", "ethnic_groups"),
    ("elderly60", "elderly80"),
    ("elderly60", "empty_nest_elderly"),
    ("births_registered", "births"),
    ("births", "births>second"),
    ("births", "infants"),
    ("deaths_registered", "births_registered"),
    ("moved_in", "moved_out"),
    ("rural_employed", "rural_labor"),
    ("migrant_out", "transferred"),
    ("transferred", "transferred>out_province"),
    ("transferred", "transferred>tuopin"),
    ("transferred", "relocated_employed"),
    ("rural_labor", "transferred"),
    ("public_posts", "urban_public_posts"),
    ("public_posts", "rangers"),
    ("new_jobs", "reemployed"),
    ("registered_unemployed", "hard_employed"),
    ("registered_unemployed", "reemployed"),
    ("skills_training", "fraud_audience"),
    ("labor_income", "farmer_income"),
    ("farmer_income", "tuopin_income"),
    ("collective_income", "collective_income>operating"),
    ("collective_income", "collective_assets"),
    ("cultivated_land", "contracted_land"),
    ("contracted_land", "land_transferred"),
    ("cultivated_land", "basic_farmland"),
    ("cultivated_land", "grain_area"),
    ("cultivated_land", "farmland_subsidy_area"),
    ("grain_area", "farmland_subsidy_area"),
    ("grain_output", "farm_grain_stock"),
    ("illegal_land_use", "satellite_spots"),
    ("field_chiefs", "road_chiefs"),
    ("tuopin_hh", "tuopin_pop"),
    ("monitor_hh", "monitor_pop"),
    ("monitor_pop", "monitor_pop>cleared"),
    ("tuopin_pop", "monitor_pop"),
    ("tuopin_pop", "medins_insured>tuopin"),
    ("medins_insured", "medins_insured>tuopin"),
    ("monitor_pop", "medins_subsidized>monitor"),
    ("dibao_pop", "medins_subsidized>dibao"),
    ("tekun_pop", "medins_subsidized>tekun"),
    ("medins_insured", "medins_app_paid"),
    ("medins_app_paid", "medins_proxy_paid"),
    ("medins_fee", "medins_insured"),
    ("dibao_hh", "dibao_pop"),
    ("dibao_pop", "urban_dibao_pop"),
    ("tekun_pop", "tekun_pop>central"),
    ("dibao_money", "two_subsidy_money"),
    ("temp_aid", "meal_visits"),
    ("elderly_allowance_money", "dibao_money"),
    ("elder_stations", "meal_points"),
    ("disabled_certified", "disabled_certified>severe"),
    ("living_subsidy_pop", "care_subsidy_pop"),
    ("disabled_certified", "living_subsidy_pop"),
    ("disabled_certified>severe", "care_subsidy_pop"),
    ("students_compulsory", "students_compulsory>primary"),
    ("students_compulsory", "tuopin_students"),
    ("college_students", "student_loan_pop"),
    ("college_students", "enlisted>college"),
    ("draft_registered", "draft_age_men"),
    ("draft_passed", "enlisted"),
    ("enlisted", "enlisted>college"),
    ("student_loan_money", "startup_loans"),
    ("relocated_hh", "relocated_labor_hh"),
    ("relocated_hh", "relocated_pop"),
    ("workshops", "relocation_projects"),
    ("tea_area", "tea_area>picking"),
    ("tea_area", "tea_area>organic"),
    ("tea_area", "walnut_area"),
    ("tea_output", "walnut_output"),
    ("tea_value", "econ_forest_value"),
    ("walnut_area", "walnut_area>bearing"),
    ("returned_forest_area", "public_forest_area"),
    ("returned_forest_money", "eco_comp_money"),
    ("returned_forest_hh", "subsidy_hh"),
    ("farmland_subsidy_money", "returned_forest_money"),
    ("dogs", "dogs>immunized"),
    ("pig_stock", "pig_slaughter"),
    ("cattle_stock", "cattle_stock>breeding"),
    ("cattle_stock", "cattle_slaughter"),
    ("sheep_stock", "dogs"),
    ("animal_vets", "rangers"),
    ("pv_hh", "power_users"),
    ("pv_hh", "solar_heaters"),
    ("pv_capacity", "power_use"),
    ("biogas_digesters", "biogas_digesters>used"),
    ("rural_houses_hh", "hh_hukou"),
    ("c_houses", "d_houses"),
    ("houses_renovated", "damaged_houses_hh"),
    ("old_estates", "old_estates_hh"),
    ("gas_users", "gas_users>alarm"),
    ("gas_hazards", "satellite_spots"),
    ("fraud_loss", "disaster_loss"),
    ("fraud_talks", "unity_events"),
    ("natural_villages", "groups"),
    ("natural_villages", "natural_villages>paved"),
    ("natural_villages>paved", "natural_villages>tap"),
    ("village_road_km", "group_road_km"),
    ("village_road_km", "pipes_km"),
    ("road_flood_damage", "village_road_km"),
    ("water_pop", "water_source_pop"),
    ("water_works", "water_sources"),
    ("disaster_pop", "evacuated"),
    ("disaster_pop", "disaster_farm_hh"),
    ("disaster_pop", "drought_water_pop"),
    ("crop_damage", "crop_damage>total_loss"),
    ("disaster_loss", "agri_loss"),
    ("black_water", "black_water>fixed"),
    ("sewage_hh", "sewage_facilities"),
    ("hiv_living", "hiv_living>treated"),
    ("hiv_tests", "health_talk_audience"),
    ("nurseries", "nursery_places"),
]

# FRESH5's unit sizes plus the one unit this set adds (kind, size in the kind's base unit); kept here so the
# truth does not come from the code measured. 头只 (livestock deaths counted across kinds) never converts.
UNIT_SIZE: dict[str, tuple[str, float]] = {
    **FRESH5_UNIT_SIZE,
    "头只": ("mixed_head", 1.0),
}


def true_factor(unit_a: str | None, unit_b: str | None) -> float | None:
    """The factor between two labelled units, same meaning as FRESH's (a value in unit a × factor = in unit b)."""
    return factor_in(UNIT_SIZE, unit_a, unit_b)


def true_pairs(specs: list[FormSpec]) -> dict[tuple[tuple[int, int], tuple[int, int]], float | None]:
    """Every pair of columns of different forms labelled with the same datum, with its true unit factor."""
    return pairs_by_concept(specs, true_factor)


def label_problems(specs: list[FormSpec]) -> list[str]:
    """What is wrong with the labels: a unit outside UNIT_SIZE, one concept in units of different kinds,
    a data column without a concept, a near-miss naming a concept no form collects or pairing a concept
    with itself, a near-miss listed twice, or two columns of one form with the same concept."""
    problems: list[str] = []
    kinds: dict[str, set[str]] = {}
    for spec in specs:
        seen: set[str] = set()
        for col in spec.flat():
            if col.role == "data" and not col.concept:
                problems.append(f"{spec.title}: {col.header} has no concept")
            if not col.concept:
                continue
            if col.concept in seen:
                problems.append(f"{spec.title}: {col.concept} twice")
            seen.add(col.concept)
            if col.unit is None:
                continue
            if col.unit not in UNIT_SIZE:
                problems.append(f"{spec.title}: {col.header} in unknown unit {col.unit}")
                continue
            kinds.setdefault(col.concept, set()).add(UNIT_SIZE[col.unit][0])
    problems += [f"{c}: units of kinds {sorted(k)}" for c, k in kinds.items() if len(k) > 1]
    concepts = {col.concept for spec in specs for col in spec.flat() if col.concept}
    listed: set[frozenset[str]] = set()
    for a, b in NEAR_MISSES:
        problems += [f"near miss names unknown concept {c}" for c in (a, b) if c not in concepts]
        if a == b:
            problems.append(f"near miss {a} pairs a concept with itself")
        if frozenset((a, b)) in listed:
            problems.append(f"near miss {a}/{b} listed twice")
        listed.add(frozenset((a, b)))
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
        files = written_and_read_back(FRESH6, Path(tmp))
    truth = true_pairs(FRESH6)
    print(
        f"{files} forms written and read back, {len({s.department for s in FRESH6})} departments, "
        f"{len(truth)} true pairs, {sum(f not in (1.0, None) for f in truth.values())} with a unit factor, "
        f"{len(NEAR_MISSES)} near misses; label problems: {label_problems(FRESH6) or 'none'}"
    )
