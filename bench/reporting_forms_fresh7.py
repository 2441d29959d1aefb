"""A seventh held-out set of county department forms for the overlap finder (issue 14), written before any run.

Written by an engineer who had not read `cunwu/reporting/compare.py`, `fields.py`, `formfiles.py`,
`cunwu/matching/`, `data/lexicon/`, `bench/bench_reporting.py`, `docs/reporting.md`, `docs/benchmarks.md`
or the benchmark history, and without running the finder or the bench on it; its first run is the honest
figure. Only `bench/reporting_forms_fresh6.py` (format, unit table, self-check), the sheet writer
`cunwu/reporting/tests/sheets.py`, the SERIAL/TOWNSHIP/VILLAGE/key/sign helpers of `bench/reporting_forms.py`
and the titles of FRESH..FRESH6 (printed to keep topics apart) were read. The forms were written in one
sitting from what Yunnan county departments send to villages and communities, not from any vocabulary in
the code.

Labels follow the earlier sets: each data column carries the datum it collects (`concept`) and the unit its
values are in; two columns of different forms are a true pair exactly when their concepts are equal (a
county statistician could reuse one form's value in the other directly), and the unit factor follows from
the two units (`true_factor`). A concept written `total>part` is a 其中 part, its own datum.
`python -m bench.reporting_forms_fresh7` writes every form, reads it back, checks the labels and prints the
counts: 36 forms of 36 departments or department offices (30 departments once offices such as
县农业农村局（农村经营管理站） are folded into their bureau; county branches of upper-level agencies included:
国家税务总局县税务局, 云南电网县供电局, 县农村信用合作联社), 102 true pairs (21 with a unit factor other than 1),
148 near misses.

About half the topics are new to the held-out sets (第八次全国人口普查户口整顿和摸底, 咖啡产业, 甘蔗种植和原料蔗
收购, 中药材和林下种植, 蚕桑生产, 以工代赈劳务报酬, 大中型水库移民后期扶持, 应急避难场所和防震减灾, 整村屋顶
光伏开发摸底, 农家书屋和农村电影放映, 流动党员, 一事一议财政奖补, 农村信用体系和信用户评定, 农村卫生户厕和
公厕, 草原生态保护补助奖励, 学生防溺水, 秋季动物强制免疫); the rest are on common village data (户籍人口,
常住人口, 劳动力转移, 耕地和粮食, 畜禽存栏, 集体经济和农民收入, 防返贫监测, 低保特困和孤儿, 高龄老人, 残疾人,
医保和养老保险缴费, 义务教育学生, 农房安全, 供水, 道路, 电网, 汛期灾害). Layouts vary: one row per 村民小组
or per 自然村, a 合计 row, numbered columns (甲、乙、1、2…), a unit row under bare headers, units in a 单位：
line, measure-over-types (资助参保人数 over 对象类别) and topic-over-measures (咖啡/甘蔗 over 面积/产量) headers,
one GBK and one UTF-8 CSV. The sheet writer makes one sheet per workbook, so there are no two-sheet forms.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from bench.reporting_forms import SERIAL, TOWNSHIP, VILLAGE, key, sign
from bench.reporting_forms_fresh import factor_in, pairs_by_concept
from bench.reporting_forms_fresh6 import UNIT_SIZE as FRESH6_UNIT_SIZE
from cunwu.reporting.tests.sheets import Col, FormSpec, Group, form_bytes, form_rows

D = "decimal"
P = "percentage"
Y = "yesno"
GROUPS = ("合计", "第一村民小组", "第二村民小组", "第三村民小组")
HAMLETS = ("大寨", "小寨", "新村", "老街子")

FRESH7: list[FormSpec] = [
    FormSpec(
        "县第八次全国人口普查领导小组办公室",
        "第八次全国人口普查户口整顿和村级摸底汇总表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("普查小区（个）", "census_areas", "个"),
            Col("户籍户数（户）", "hh_hukou", "户"),
            Col("户籍人口（人）", "pop_hukou", "人"),
            Col("其中：外出半年以上（人）", "pop_hukou>away_halfyear", "人"),
            Col("外来半年以上人口（人）", "pop_incoming", "人"),
            Col("常住人口（人）", "pop_resident", "人"),
            Col("选聘普查员（名）", "enumerators", "名"),
            sign("村委会主任签字"),
        ],
        meta=["填报单位：          乡（镇）人口普查办公室（盖章）", "摸底时间：2030年8月"],
        footer="普查指导员：          乡（镇）普查办负责人：          报送日期：",
        fmt="csv-gbk",
    ),
    FormSpec(
        "县公安局",
        "2030年上半年户籍人口分村（社区）统计表",
        [
            key("派出所"),
            key("村（社区）"),
            Col("户数", "hh_hukou", "户"),
            Col("总人口", "pop_hukou", "人"),
            Col("男", "pop_hukou>male", "人"),
            Col("女", "pop_hukou>female", "人"),
            Col("0-17周岁", "minors", "人"),
            Col("60周岁及以上", "elderly60", "人"),
            Col("80周岁及以上", "elderly80", "人"),
            Col("上半年出生", "births_registered", "人"),
            Col("上半年死亡", "deaths_registered", "人"),
        ],
        meta=["填报单位：          派出所", "单位：户、人"],
        column_numbers=True,
        footer="户籍民警：          所长：          填报日期：",
    ),
    FormSpec(
        "县统计局",
        "农业生产统计年报表（村级）",
        [
            TOWNSHIP,
            VILLAGE,
            Col("总户数", "hh_hukou", "户", unit_cell="户"),
            Col("总人口", "pop_hukou", "人", unit_cell="人"),
            Col("常住人口", "pop_resident", "人", unit_cell="人"),
            Col("外出务工劳动力", "migrant_out", "人", unit_cell="人"),
            Col("使用卫生厕所户数", "sanitary_toilets_hh", "户", unit_cell="户"),
            Col("年末耕地面积", "cultivated_land", "公顷", type=D, unit_cell="公顷"),
            Col("粮食播种面积", "grain_area", "公顷", type=D, unit_cell="公顷"),
            Col("粮食产量", "grain_output", "吨", type=D, unit_cell="吨"),
            Group(
                "咖啡",
                (
                    Col("年末实有面积", "coffee_area", "公顷", type=D, unit_cell="公顷"),
                    Col("产量（生豆）", "coffee_bean", "吨", type=D, unit_cell="吨"),
                ),
            ),
            Group(
                "甘蔗",
                (
                    Col("播种面积", "sugarcane_area", "公顷", type=D, unit_cell="公顷"),
                    Col("产量", "sugarcane_output", "吨", type=D, unit_cell="吨"),
                ),
            ),
            Col("中药材播种面积", "herb_area", "公顷", type=D, unit_cell="公顷"),
            Col("中药材产量", "herb_output", "吨", type=D, unit_cell="吨"),
            Col("年末桑园面积", "mulberry_area", "公顷", type=D, unit_cell="公顷"),
            Col("蚕茧产量", "cocoon_output", "吨", type=D, unit_cell="吨"),
            Col("猪年末存栏", "pig_stock", "头", unit_cell="头"),
            Col("牛年末存栏", "cattle_stock", "头", unit_cell="头"),
            Col("羊年末存栏", "sheep_stock", "只", unit_cell="只"),
            Col("家禽年末存栏", "poultry_stock", "万羽", type=D, unit_cell="万羽"),
            Col("肉类总产量", "meat_output", "吨", type=D, unit_cell="吨"),
            Col("农村常住居民人均可支配收入", "farmer_income", "元", type=D, unit_cell="元"),
        ],
        unit_row=True,
        meta=["填报单位：", "报告期：2030年"],
        footer="单位负责人：          统计负责人：          填表人：          报出日期：",
    ),
    FormSpec(
        "县农业农村局",
        "2030年咖啡产业发展情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Group(
                "种植面积（亩）",
                (
                    Col("年末实有", "coffee_area", "亩", type=D),
                    Col("其中：投产", "coffee_area>bearing", "亩", type=D),
                    Col("当年新植", "coffee_new", "亩", type=D),
                ),
            ),
            Col("咖啡鲜果产量（吨）", "coffee_cherry", "吨", type=D),
            Col("咖啡生豆产量（公斤）", "coffee_bean", "公斤", type=D),
            Col("种植户（户）", "coffee_hh", "户"),
            Col("鲜果初加工厂（个）", "coffee_mills", "个"),
            Col("综合产值（万元）", "coffee_value", "万元", type=D),
            sign("填表人"),
        ],
        meta=["填报单位：          乡（镇）农业农村服务中心（盖章）", "统计时间：2030年12月31日"],
    ),
    FormSpec(
        "县糖业发展服务中心",
        "2030—2031年榨季甘蔗种植和原料蔗收购情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("蔗农（户）", "cane_hh", "户"),
            Col("甘蔗种植面积（亩）", "sugarcane_area", "亩", type=D),
            Col("其中：新植蔗（亩）", "sugarcane_area>new", "亩", type=D),
            Col("良种推广面积（亩）", "cane_improved", "亩", type=D),
            Col("入厂原料蔗（吨）", "cane_purchased", "吨", type=D),
            Col("兑付蔗款（万元）", "cane_payment", "万元", type=D),
        ],
        meta=["填报单位：          乡（镇）糖料站", "截至：2031年4月30日"],
        footer="糖料站站长：          制表人：",
    ),
    FormSpec(
        "县林业和草原局",
        "中药材种植和林下经济发展情况统计表",
        [
            SERIAL,
            VILLAGE,
            Col("中药材种植面积（亩）", "herb_area", "亩", type=D),
            Col("其中：林下种植（亩）", "herb_area>forest", "亩", type=D),
            Group(
                "主要品种面积（亩）",
                (
                    Col("三七", "sanqi_area", "亩", type=D),
                    Col("重楼", "chonglou_area", "亩", type=D),
                    Col("滇黄精", "huangjing_area", "亩", type=D),
                ),
            ),
            Col("中药材产量（吨）", "herb_output", "吨", type=D),
            Col("种植户（户）", "herb_hh", "户"),
            Col("林下经济产值（万元）", "forest_econ_value", "万元", type=D),
        ],
        meta=["填报单位：          乡（镇）林业和草原服务中心", "统计时间：2030年"],
        column_numbers=True,
    ),
    FormSpec(
        "县蚕桑技术推广站",
        "2030年蚕桑生产情况统计表",
        [
            key("村民小组"),
            Col("桑园面积（亩）", "mulberry_area", "亩", type=D),
            Col("养蚕户（户）", "silkworm_hh", "户"),
            Col("发放蚕种（张）", "silkworm_sheets", "张"),
            Col("鲜茧产量（公斤）", "cocoon_output", "公斤", type=D),
            Col("售茧收入（元）", "cocoon_income", "元", type=D),
        ],
        meta=["填报单位：          村委会（盖章）", "统计时间：    年  月  日"],
        villages=GROUPS,
        footer="蚕桑辅导员：          村委会主任：",
    ),
    FormSpec(
        "县发展和改革局",
        "2030年以工代赈项目实施和劳务报酬发放情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("以工代赈项目（个）", "ygdz_projects", "个"),
            Col("项目总投资（万元）", "ygdz_invest", "万元", type=D),
            Col("吸纳当地群众务工（人）", "ygdz_workers", "人"),
            Col("其中：脱贫人口和监测对象（人）", "ygdz_workers>tuopin", "人"),
            Col("发放劳务报酬（万元）", "ygdz_wages", "万元", type=D),
            Col("开展务工群众技能培训（人次）", "ygdz_training", "人次"),
            sign("项目负责人"),
        ],
        meta=["填报单位：          乡（镇）人民政府（盖章）", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县人力资源和社会保障局",
        "农村劳动力转移就业和以工代赈务工情况统计表",
        [
            SERIAL,
            VILLAGE,
            Col("农村劳动力（人）", "rural_labor", "人"),
            Col("转移就业（人）", "transferred", "人"),
            Col("其中：县外（人）", "transferred>out_county", "人"),
            Col("其中：省外（人）", "transferred>out_province", "人"),
            Col("脱贫劳动力务工（人）", "tuopin_workers", "人"),
            Col("以工代赈务工人数（人）", "ygdz_workers", "人"),
            Col("以工代赈劳务报酬（元）", "ygdz_wages", "元", type=D),
            Col("职业技能培训（人次）", "skills_training", "人次"),
        ],
        meta=["填报单位：          乡（镇）劳动保障所", "统计时间：2030年第三季度"],
        fmt="csv-utf8",
    ),
    FormSpec(
        "县农业农村局（县乡村振兴局）",
        "防止返贫致贫监测对象和脱贫人口情况月报表（2030年6月）",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("总户数（户）", "hh_hukou", "户"),
            Col("总人口（人）", "pop_hukou", "人"),
            Group("脱贫户", (Col("户数", "tuopin_hh", "户"), Col("人数", "tuopin_pop", "人"))),
            Group("监测对象", (Col("户数", "monitor_hh", "户"), Col("人数", "monitor_pop", "人"))),
            Col("其中：已消除风险（人）", "monitor_pop>cleared", "人"),
            Col("脱贫劳动力务工就业（人）", "tuopin_workers", "人"),
            Col("脱贫户人均纯收入（元）", "tuopin_income", "元", type=D),
            Col("小额信贷余额（万元）", "microcredit_balance", "万元", type=D),
            Col("村集体经济收入（万元）", "collective_income", "万元", type=D),
        ],
        meta=["填报单位：          乡（镇）乡村振兴工作站", "单位：户、人、元、万元"],
    ),
    FormSpec(
        "县民政局",
        "城乡低保、特困供养和孤儿保障情况年度统计表",
        [
            TOWNSHIP,
            VILLAGE,
            Group(
                "农村最低生活保障",
                (
                    Col("户数（户）", "dibao_hh", "户"),
                    Col("人数（人）", "dibao_pop", "人"),
                    Col("全年发放（元）", "dibao_money", "元", type=D),
                ),
            ),
            Group(
                "特困人员",
                (
                    Col("人数（人）", "tekun_pop", "人"),
                    Col("其中：集中供养（人）", "tekun_pop>central", "人"),
                ),
            ),
            Col("孤儿（人）", "orphans", "人"),
            Col("事实无人抚养儿童（人）", "de_facto_orphans", "人"),
            Col("农村留守儿童（人）", "left_behind_children", "人"),
            Group(
                "残疾人两项补贴",
                (
                    Col("生活补贴（人）", "living_subsidy_pop", "人"),
                    Col("护理补贴（人）", "care_subsidy_pop", "人"),
                    Col("发放金额（万元）", "two_subsidy_money", "万元", type=D),
                ),
            ),
            Col("当年高龄津贴发放（万元）", "elderly_allowance_money", "万元", type=D),
            Col("临时救助（人次）", "temp_aid", "人次"),
        ],
        meta=["填报单位：          乡（镇）社会事务办（盖章）", "报告期：2030年"],
        column_numbers=True,
    ),
    FormSpec(
        "县民政局（县社会救助服务中心）",
        "农村低收入人口动态监测信息汇总表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("农村低收入人口（人）", "low_income_pop", "人"),
            Group(
                "其中",
                (
                    Col("低保对象（户）", "dibao_hh", "户"),
                    Col("低保对象（人）", "dibao_pop", "人"),
                    Col("特困人员（人）", "tekun_pop", "人"),
                    Col("低保边缘人口（人）", "dibao_edge_pop", "人"),
                    Col("防返贫监测户（户）", "monitor_hh", "户"),
                    Col("防返贫监测对象（人）", "monitor_pop", "人"),
                    Col("刚性支出困难人口（人）", "rigid_expense_pop", "人"),
                ),
            ),
            Col("孤儿（人）", "orphans", "人"),
            sign("村级社会救助协理员"),
        ],
        meta=["填报单位：          乡（镇）人民政府（盖章）", "数据截至：2030年9月30日"],
        footer="协理员：          乡（镇）社会事务办负责人：          分管领导：",
    ),
    FormSpec(
        "县医疗保障局",
        "2031年度城乡居民基本医疗保险参保和资助参保情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("户籍人口（人）", "pop_hukou", "人"),
            Col("已参保（人）", "medins_insured", "人"),
            Col("参保率（%）", "medins_rate", "%", type=P),
            Group(
                "资助参保人数（人）",
                (
                    Col("特困人员", "medins_subsidized>tekun", "人"),
                    Col("低保对象", "medins_subsidized>dibao", "人"),
                    Col("监测对象", "medins_subsidized>monitor", "人"),
                    Col("孤儿和事实无人抚养儿童", "medins_subsidized>orphan", "人"),
                ),
            ),
            Col("资助金额（万元）", "medins_subsidy_money", "万元", type=D),
            Col("个人缴费（万元）", "medins_fee", "万元", type=D),
        ],
        meta=["填报单位：          乡（镇）医保工作站", "截至：2031年2月28日"],
    ),
    FormSpec(
        "国家税务总局县税务局",
        "2031年度城乡居民医保和养老保险费征收进度表（分村）",
        [
            TOWNSHIP,
            VILLAGE,
            Group(
                "城乡居民医疗保险",
                (
                    Col("缴费人数（人）", "medins_insured", "人"),
                    Col("征收金额（元）", "medins_fee", "元", type=D),
                ),
            ),
            Group(
                "城乡居民养老保险",
                (
                    Col("缴费人数（人）", "pension_paid", "人"),
                    Col("征收金额（元）", "pension_fee", "元", type=D),
                ),
            ),
        ],
        meta=["填报单位：          税务分局", "征期：2030年9月至2031年2月"],
    ),
    FormSpec(
        "县社会保险中心",
        "城乡居民基本养老保险参保缴费和待遇发放情况表",
        [
            SERIAL,
            VILLAGE,
            Col("16周岁以上应参保（人）", "pension_target", "人"),
            Col("参保（人）", "pension_insured", "人"),
            Col("当年缴费（人）", "pension_paid", "人"),
            Col("其中：政府代缴（人）", "pension_paid>proxy", "人"),
            Col("领取待遇（人）", "pension_receivers", "人"),
            Col("养老金发放（万元）", "pension_money", "万元", type=D),
            Col("缴费金额（万元）", "pension_fee", "万元", type=D),
        ],
        meta=["填报单位：          乡（镇）社保所", "统计时间：2030年12月"],
        column_numbers=True,
    ),
    FormSpec(
        "县老龄工作委员会办公室",
        "高龄老人和特殊困难老年人信息汇总表",
        [
            key("自然村"),
            Col("60周岁以上老年人", "elderly60", "人"),
            Col("80周岁以上高龄老人", "elderly80", "人"),
            Col("其中：90周岁以上", "elderly80>90", "人"),
            Col("百岁老人", "centenarians", "人"),
            Col("独居、空巢老年人", "empty_nest_elderly", "人"),
            Col("失能、半失能老年人", "disabled_elderly", "人"),
            Col("当年发放高龄津贴", "elderly_allowance_money", "元", type=D),
        ],
        meta=["填报单位：          村委会", "单位：人、元"],
        villages=HAMLETS,
    ),
    FormSpec(
        "县残疾人联合会",
        "持证残疾人和两项补贴信息汇总表（分村）",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("持证残疾人（人）", "disabled_certified", "人"),
            Col("其中：一、二级（人）", "disabled_certified>severe", "人"),
            Group(
                "享受两项补贴（人）",
                (
                    Col("困难残疾人生活补贴", "living_subsidy_pop", "人"),
                    Col("重度残疾人护理补贴", "care_subsidy_pop", "人"),
                ),
            ),
            Col("两项补贴发放金额（元）", "two_subsidy_money", "元", type=D),
            Col("残疾人专职委员（名）", "disability_officers", "名"),
            sign("专职委员签字"),
        ],
        meta=["填报单位：          乡（镇）残联（盖章）", "统计时间：    年  月  日"],
    ),
    FormSpec(
        "县教育体育局",
        "学生防溺水安全和农村留守儿童关爱情况统计表",
        [
            SERIAL,
            VILLAGE,
            Col("义务教育阶段学生（按户籍）（人）", "students_compulsory", "人"),
            Col("留守儿童（人）", "left_behind_children", "人"),
            Col("危险水域（处）", "danger_waters", "处"),
            Col("设置警示标志（块）", "warning_signs", "块"),
            Col("防溺水家访（户次）", "drowning_visits", "户次"),
            Col("村级巡河护学员（人）", "river_patrols", "人"),
        ],
        meta=["填报单位：          中心学校（盖章）", "填报日期：2030年6月"],
    ),
    FormSpec(
        "县应急管理局",
        "2030年主汛期自然灾害损失情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("受灾人口（人）", "disaster_pop", "人"),
            Col("紧急转移安置（人）", "evacuated", "人"),
            Col("农作物受灾面积（公顷）", "crop_damage", "公顷", type=D),
            Col("其中：绝收（公顷）", "crop_damage>total_loss", "公顷", type=D),
            Col("倒塌房屋（间）", "collapsed_rooms", "间"),
            Col("严重损坏房屋（间）", "damaged_rooms", "间"),
            Col("直接经济损失（万元）", "disaster_loss", "万元", type=D),
        ],
        meta=["填报单位：          乡（镇）应急管理办公室", "灾害发生时间：    年  月  日"],
        footer="灾害信息员：          审核人：          报送时间：",
    ),
    FormSpec(
        "县农业农村局（县农业技术推广中心）",
        "2030年农业灾情统计表（分村）",
        [
            TOWNSHIP,
            VILLAGE,
            Col("受灾农户", "disaster_farm_hh", "户", unit_cell="户"),
            Col("农作物受灾面积", "crop_damage", "亩", type=D, unit_cell="亩"),
            Col("其中：绝收面积", "crop_damage>total_loss", "亩", type=D, unit_cell="亩"),
            Col("其中：咖啡受灾", "crop_damage>coffee", "亩", type=D, unit_cell="亩"),
            Col("农业直接经济损失", "agri_loss", "元", type=D, unit_cell="元"),
        ],
        unit_row=True,
        meta=["填报单位：", "报送时间：    年  月  日"],
    ),
    FormSpec(
        "县水务局",
        "大中型水库移民后期扶持人口核定和直补资金发放表",
        [
            key("村民小组"),
            Col("移民户（户）", "reservoir_hh", "户"),
            Col("后期扶持人口（人）", "reservoir_pop", "人"),
            Col("其中：本年新增（人）", "reservoir_pop>new", "人"),
            Col("直补资金（元）", "reservoir_money", "元", type=D),
            Col("是否张榜公示", "reservoir_publicized", None, type=Y),
        ],
        meta=["填报单位：          村委会（盖章）", "核定时间：2030年"],
        villages=GROUPS,
        footer="村委会主任：          乡（镇）移民专干：          核定日期：",
    ),
    FormSpec(
        "县水务局（农村供水）",
        "农村供水工程运行和饮水安全情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("自然村（个）", "natural_villages", "个"),
            Col("常住户数（户）", "hh_resident", "户"),
            Col("常住人口（人）", "pop_resident", "人"),
            Col("供水工程（处）", "water_works", "处"),
            Col("供水受益人口（人）", "water_pop", "人"),
            Col("自来水入户（户）", "tap_hh", "户"),
            Col("自来水普及率（%）", "tap_rate", "%", type=P),
            Col("管网长度（公里）", "pipes_km", "公里", type=D),
            Col("村级管水员（人）", "water_keepers", "人"),
        ],
        meta=["填报单位：          乡（镇）水务站", "统计时间：2030年末"],
    ),
    FormSpec(
        "县地震局",
        "村级应急避难场所和防震减灾情况表",
        [
            SERIAL,
            VILLAGE,
            Col("应急避难场所（处）", "shelters", "处"),
            Col("可容纳人数（人）", "shelter_capacity", "人"),
            Col("地震宏观观测员（人）", "quake_observers", "人"),
            Col("D级危房（户）", "d_houses", "户"),
            Col("当年完成农房抗震改造（户）", "seismic_houses", "户"),
            Col("防震减灾宣传（场次）", "quake_talks", "场次"),
        ],
        meta=["填报单位：          乡（镇）人民政府", "截至：2030年12月31日"],
    ),
    FormSpec(
        "县住房和城乡建设局",
        "农村低收入群体住房安全保障和农房抗震改造情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("农户（户）", "rural_houses_hh", "户"),
            Col("C级危房（户）", "c_houses", "户"),
            Col("D级危房（户）", "d_houses", "户"),
            Col("当年危房改造（户）", "houses_renovated", "户"),
            Col("当年农房抗震改造（户）", "seismic_houses", "户"),
            Col("补助资金（万元）", "house_money", "万元", type=D),
        ],
        meta=["填报单位：          乡（镇）村镇规划建设服务中心", "统计时间：2030年"],
    ),
    FormSpec(
        "县交通运输局",
        "农村公路和通组硬化路情况统计表",
        [
            SERIAL,
            VILLAGE,
            Col("自然村（个）", "natural_villages", "个"),
            Col("其中：通硬化路（个）", "natural_villages>paved", "个"),
            Col("村民小组（个）", "groups", "个"),
            Col("通村公路里程（公里）", "village_road_km", "公里", type=D),
            Col("通组硬化路（米）", "group_road_km", "米", type=D),
            Col("是否通客车", "bus_access", None, type=Y),
            Col("村级路长（人）", "road_chiefs", "人"),
        ],
        meta=["填报单位：          乡（镇）交通运输管理所", "统计时间：2030年末"],
    ),
    FormSpec(
        "云南电网有限责任公司县供电局",
        "农村电网和居民用电情况统计表",
        [
            key("供电所"),
            VILLAGE,
            Col("居民用电户（户）", "power_users", "户"),
            Col("配电变压器（台）", "transformers", "台"),
            Col("配变容量（千伏安）", "transformer_cap", "千伏安", type=D),
            Col("户用光伏并网（户）", "pv_hh", "户"),
            Col("户用光伏装机容量（千瓦）", "pv_capacity", "千瓦", type=D),
            Col("年用电量（万千瓦时）", "power_use", "万千瓦时", type=D),
        ],
        meta=["填报单位：          供电所", "统计时间：2030年"],
        column_numbers=True,
    ),
    FormSpec(
        "县能源局",
        "整村推进屋顶分布式光伏开发摸底表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("全村户籍户数（户）", "hh_hukou", "户"),
            Col("已建户用光伏（户）", "pv_hh", "户"),
            Col("已建装机（万千瓦）", "pv_capacity", "万千瓦", type=D),
            Col("可利用屋顶面积（平方米）", "roof_area", "平方米", type=D),
            Col("有意愿安装农户（户）", "pv_willing_hh", "户"),
        ],
        meta=["填报单位：          乡（镇）人民政府（盖章）", "摸底时间：    年  月"],
    ),
    FormSpec(
        "县委宣传部",
        "农家书屋和农村电影放映情况统计表",
        [
            SERIAL,
            VILLAGE,
            Col("农家书屋（个）", "book_rooms", "个"),
            Col("藏书（册）", "books", "册"),
            Col("全年借阅（人次）", "book_loans", "人次"),
            Col("公益电影放映（场次）", "film_shows", "场次"),
            Col("观影群众（人次）", "film_audience", "人次"),
            Col("书屋管理员（人）", "book_keepers", "人"),
        ],
        meta=["填报单位：          乡（镇）宣传文化服务中心", "统计时间：2030年"],
    ),
    FormSpec(
        "县委组织部",
        "流动党员和村级组织基本情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("户籍户数（户）", "hh_hukou", "户"),
            Col("户籍人口（人）", "pop_hukou", "人"),
            Col("村民小组（个）", "groups", "个"),
            Col("自然村（个）", "natural_villages", "个"),
            Col("党员（名）", "party_members", "名"),
            Col("其中：流动党员（名）", "party_members>mobile", "名"),
            Col("外出务工人员（人）", "migrant_out", "人"),
            Col("耕地面积（亩）", "cultivated_land", "亩", type=D),
            Col("脱贫户（户）", "tuopin_hh", "户"),
            Col("脱贫人口（人）", "tuopin_pop", "人"),
            Col("监测户（户）", "monitor_hh", "户"),
            Col("监测对象（人）", "monitor_pop", "人"),
            Col("农村居民人均可支配收入（元）", "farmer_income", "元", type=D),
            Col("村集体经济收入（万元）", "collective_income", "万元", type=D),
            Col("其中：经营性收入（万元）", "collective_income>operating", "万元", type=D),
            sign("村党总支书记签字"),
        ],
        meta=["填报单位：          乡（镇）党委（盖章）", "统计时间：2030年12月31日"],
        footer="填报人：          乡（镇）组织委员：          联系电话：",
    ),
    FormSpec(
        "县农业农村局（农村经营管理站）",
        "村级集体经济收入和农民收入情况统计年报",
        [
            TOWNSHIP,
            VILLAGE,
            Col("村集体经济总收入", "collective_income", "元", type=D, unit_cell="元"),
            Col("其中：经营收入", "collective_income>operating", "元", type=D, unit_cell="元"),
            Col("集体资产总额", "collective_assets", "万元", type=D, unit_cell="万元"),
            Col("农村居民人均可支配收入", "farmer_income", "元", type=D, unit_cell="元"),
            Col("耕地面积", "cultivated_land", "亩", type=D, unit_cell="亩"),
            Col("土地流转面积", "land_transferred", "亩", type=D, unit_cell="亩"),
        ],
        unit_row=True,
        meta=["填报单位：          乡（镇）农村经营管理站", "报告期：2030年"],
    ),
    FormSpec(
        "县财政局",
        "村级公益事业建设一事一议财政奖补项目情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("奖补项目（个）", "yishi_projects", "个"),
            Col("财政奖补资金（万元）", "yishi_money", "万元", type=D),
            Col("村民筹资筹劳折资（元）", "yishi_raised", "元", type=D),
            Col("受益人口（人）", "yishi_beneficiaries", "人"),
            Col("其中：村内道路（公里）", "yishi_road_km", "公里", type=D),
        ],
        meta=["填报单位：          乡（镇）财政所", "年度：2030年"],
    ),
    FormSpec(
        "县农村信用合作联社",
        "农村信用体系建设和信用户评定情况表",
        [
            key("信用社（支行）"),
            VILLAGE,
            Col("建档农户（户）", "credit_files_hh", "户"),
            Col("评定信用户（户）", "credit_hh", "户"),
            Col("其中：脱贫户和监测户（户）", "credit_hh>tuopin", "户"),
            Col("是否评为信用村", "credit_village", None, type=Y),
            Col("农户贷款余额（万元）", "farm_loans", "万元", type=D),
            Col("脱贫人口小额信贷余额（元）", "microcredit_balance", "元", type=D),
            Col("普惠金融服务站（个）", "finance_points", "个"),
        ],
        meta=["填报单位：          信用社（盖章）", "统计时间：2030年末"],
        column_numbers=True,
    ),
    FormSpec(
        "县爱国卫生运动委员会办公室",
        "农村卫生户厕和村庄公厕情况统计表",
        [
            SERIAL,
            VILLAGE,
            key("自然村"),
            Col("常住户数（户）", "hh_resident", "户"),
            Col("卫生户厕（户）", "sanitary_toilets_hh", "户"),
            Col("其中：当年新改（户）", "sanitary_toilets_hh>new", "户"),
            Col("村庄公厕（座）", "public_toilets", "座"),
            Col("保洁员（人）", "cleaners", "人"),
        ],
        meta=["填报单位：          乡（镇）爱卫办", "统计时间：2030年"],
        villages=HAMLETS,
    ),
    FormSpec(
        "县林业和草原局（草原站）",
        "草原生态保护补助奖励政策落实情况表",
        [
            SERIAL,
            VILLAGE,
            Col("禁牧面积（万亩）", "grazing_ban", "万亩", type=D),
            Col("草畜平衡面积（万亩）", "grass_balance", "万亩", type=D),
            Col("补奖资金（元）", "grass_money", "元", type=D),
            Col("享受农户（户）", "grass_hh", "户"),
            Col("牛存栏（头）", "cattle_stock", "头"),
            Col("羊存栏（只）", "sheep_stock", "只"),
            Col("草原管护员（人）", "grass_rangers", "人"),
        ],
        meta=["填报单位：          乡（镇）林业和草原服务中心", "统计时间：2030年"],
    ),
    FormSpec(
        "县动物疫病预防控制中心",
        "2030年秋季重大动物疫病强制免疫进度表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Group(
                "存栏",
                (
                    Col("猪（头）", "pig_stock", "头"),
                    Col("牛（头）", "cattle_stock", "头"),
                    Col("羊（只）", "sheep_stock", "只"),
                    Col("家禽（羽）", "poultry_stock", "羽"),
                ),
            ),
            Group(
                "免疫数",
                (
                    Col("猪（头）", "pig_immunized", "头"),
                    Col("牛（头）", "cattle_immunized", "头"),
                    Col("羊（只）", "sheep_immunized", "只"),
                    Col("家禽（羽）", "poultry_immunized", "羽"),
                ),
            ),
            Col("村级防疫员（人）", "animal_vets", "人"),
        ],
        meta=["填报单位：          乡（镇）畜牧兽医站", "截至：    年  月  日"],
    ),
    FormSpec(
        "县卫生健康局",
        "村级常住人口和重点人群健康管理情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("常住人口（人）", "pop_resident", "人"),
            Col("65岁及以上老年人（人）", "elderly65", "人"),
            Col("高血压患者（人）", "hypertension", "人"),
            Col("2型糖尿病患者（人）", "diabetes", "人"),
            Col("0-6岁儿童（人）", "children0_6", "人"),
            Col("家庭医生签约（人）", "signed_pop", "人"),
            Col("持证残疾人（人）", "disabled_certified", "人"),
            Col("残疾人签约（人）", "signed_pop>disabled", "人"),
        ],
        meta=["填报单位：          乡（镇）卫生院（盖章）", "统计时间：2030年"],
    ),
]

# Concepts that look alike but are different data: no county statistician would reuse one for the other.
NEAR_MISSES: list[tuple[str, str]] = [
    ("hh_hukou", "pop_hukou"),
    ("hh_hukou", "hh_resident"),
    ("hh_hukou", "rural_houses_hh"),
    ("hh_hukou", "power_users"),
    ("hh_hukou", "credit_files_hh"),
    ("pop_hukou", "pop_resident"),
    ("pop_hukou", "pop_hukou>away_halfyear"),
    ("pop_hukou>away_halfyear", "transferred"),
    ("pop_hukou>away_halfyear", "transferred>out_county"),
    ("pop_incoming", "pop_resident"),
    ("pop_hukou>male", "pop_hukou>female"),
    ("census_areas", "groups"),
    ("enumerators", "animal_vets"),
    ("minors", "students_compulsory"),
    ("minors", "children0_6"),
    ("elderly60", "elderly65"),
    ("elderly60", "elderly80"),
    ("elderly80", "elderly80>90"),
    ("elderly80>90", "centenarians"),
    ("empty_nest_elderly", "disabled_elderly"),
    ("births_registered", "deaths_registered"),
    ("cultivated_land", "grain_area"),
    ("cultivated_land", "land_transferred"),
    ("grain_area", "sugarcane_area"),
    ("grain_output", "meat_output"),
    ("coffee_area", "coffee_area>bearing"),
    ("coffee_area", "coffee_new"),
    ("coffee_bean", "coffee_cherry"),
    ("coffee_hh", "cane_hh"),
    ("coffee_value", "forest_econ_value"),
    ("crop_damage>coffee", "coffee_area"),
    ("sugarcane_area", "sugarcane_area>new"),
    ("sugarcane_area", "cane_improved"),
    ("sugarcane_output", "cane_purchased"),
    ("cane_payment", "cocoon_income"),
    ("herb_area", "herb_area>forest"),
    ("herb_area", "sanqi_area"),
    ("sanqi_area", "chonglou_area"),
    ("herb_output", "cocoon_output"),
    ("herb_hh", "silkworm_hh"),
    ("mulberry_area", "herb_area>forest"),
    ("silkworm_sheets", "silkworm_hh"),
    ("pig_stock", "pig_immunized"),
    ("cattle_stock", "cattle_immunized"),
    ("sheep_stock", "sheep_immunized"),
    ("poultry_stock", "poultry_immunized"),
    ("cattle_stock", "sheep_stock"),
    ("rural_labor", "transferred"),
    ("transferred", "transferred>out_county"),
    ("transferred>out_county", "transferred>out_province"),
    ("transferred", "tuopin_workers"),
    ("tuopin_workers", "ygdz_workers>tuopin"),
    ("ygdz_workers", "ygdz_workers>tuopin"),
    ("ygdz_wages", "ygdz_invest"),
    ("ygdz_projects", "yishi_projects"),
    ("yishi_money", "yishi_raised"),
    ("yishi_beneficiaries", "water_pop"),
    ("yishi_road_km", "village_road_km"),
    ("tuopin_hh", "tuopin_pop"),
    ("monitor_hh", "monitor_pop"),
    ("tuopin_pop", "monitor_pop"),
    ("monitor_pop", "monitor_pop>cleared"),
    ("tuopin_income", "farmer_income"),
    ("microcredit_balance", "farm_loans"),
    ("credit_files_hh", "credit_hh"),
    ("collective_income", "collective_income>operating"),
    ("collective_income", "collective_assets"),
    ("party_members", "party_members>mobile"),
    ("natural_villages", "groups"),
    ("natural_villages", "natural_villages>paved"),
    ("dibao_hh", "dibao_pop"),
    ("dibao_pop", "medins_subsidized>dibao"),
    ("tekun_pop", "medins_subsidized>tekun"),
    ("tekun_pop", "tekun_pop>central"),
    ("monitor_pop", "medins_subsidized>monitor"),
    ("orphans", "de_facto_orphans"),
    ("orphans", "medins_subsidized>orphan"),
    ("dibao_money", "two_subsidy_money"),
    ("temp_aid", "dibao_pop"),
    ("medins_insured", "pop_hukou"),
    ("medins_insured", "medins_rate"),
    ("medins_fee", "medins_subsidy_money"),
    ("medins_fee", "pension_fee"),
    ("medins_insured", "pension_paid"),
    ("pension_target", "pension_insured"),
    ("pension_insured", "pension_paid"),
    ("pension_paid", "pension_paid>proxy"),
    ("pension_receivers", "elderly60"),
    ("pension_money", "pension_fee"),
    ("elderly_allowance_money", "pension_money"),
    ("disabled_certified", "disabled_certified>severe"),
    ("living_subsidy_pop", "care_subsidy_pop"),
    ("disabled_certified>severe", "care_subsidy_pop"),
    ("disabled_certified", "signed_pop>disabled"),
    ("signed_pop", "signed_pop>disabled"),
    ("hypertension", "diabetes"),
    ("students_compulsory", "left_behind_children"),
    ("danger_waters", "warning_signs"),
    ("river_patrols", "road_chiefs"),
    ("disaster_pop", "evacuated"),
    ("disaster_pop", "disaster_farm_hh"),
    ("crop_damage", "crop_damage>total_loss"),
    ("crop_damage", "crop_damage>coffee"),
    ("disaster_loss", "agri_loss"),
    ("collapsed_rooms", "damaged_rooms"),
    ("collapsed_rooms", "d_houses"),
    ("reservoir_hh", "reservoir_pop"),
    ("reservoir_pop", "reservoir_pop>new"),
    ("reservoir_money", "grass_money"),
    ("water_works", "tap_hh"),
    ("water_pop", "pop_resident"),
    ("tap_hh", "hh_resident"),
    ("tap_rate", "medins_rate"),
    ("pipes_km", "village_road_km"),
    ("water_keepers", "cleaners"),
    ("shelters", "shelter_capacity"),
    ("shelter_capacity", "evacuated"),
    ("quake_observers", "disaster_pop"),
    ("seismic_houses", "houses_renovated"),
    ("c_houses", "d_houses"),
    ("village_road_km", "group_road_km"),
    ("power_users", "pv_hh"),
    ("pv_hh", "pv_willing_hh"),
    ("pv_capacity", "transformer_cap"),
    ("pv_capacity", "power_use"),
    ("transformers", "transformer_cap"),
    ("book_rooms", "books"),
    ("book_loans", "film_audience"),
    ("film_shows", "quake_talks"),
    ("sanitary_toilets_hh", "sanitary_toilets_hh>new"),
    ("sanitary_toilets_hh", "public_toilets"),
    ("grazing_ban", "grass_balance"),
    ("grass_hh", "cattle_stock"),
    ("grass_rangers", "animal_vets"),
    ("skills_training", "ygdz_training"),
    ("ygdz_training", "ygdz_workers"),
    ("low_income_pop", "dibao_pop"),
    ("low_income_pop", "monitor_pop"),
    ("dibao_pop", "dibao_edge_pop"),
    ("dibao_edge_pop", "rigid_expense_pop"),
    ("credit_hh", "credit_hh>tuopin"),
    ("credit_hh>tuopin", "tuopin_hh"),
    ("migrant_out", "transferred"),
    ("migrant_out", "pop_hukou>away_halfyear"),
    ("sanitary_toilets_hh", "hh_resident"),
    ("mulberry_area", "herb_area"),
    ("left_behind_children", "orphans"),
    ("disabled_certified", "living_subsidy_pop"),
]

# FRESH7's unit sizes plus the one unit this set adds (kind, size in the kind's base unit); kept here so the
# truth does not come from the code measured. 间 (rooms of damaged houses) never converts to 户 or 栋.
UNIT_SIZE: dict[str, tuple[str, float]] = {
    **FRESH6_UNIT_SIZE,
    "间": ("rooms", 1.0),
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
        files = written_and_read_back(FRESH7, Path(tmp))
    truth = true_pairs(FRESH7)
    print(
        f"{files} forms written and read back, {len({s.department for s in FRESH7})} departments, "
        f"{len(truth)} true pairs, {sum(f not in (1.0, None) for f in truth.values())} with a unit factor, "
        f"{len(NEAR_MISSES)} near misses; label problems: {label_problems(FRESH7) or 'none'}"
    )
