"""A fifth held-out set of county department forms for the overlap finder (issue 14), written before any run.

Written by an engineer who had not read `cunwu/reporting/compare.py`, `fields.py`, `formfiles.py`,
`cunwu/matching/`, `data/lexicon/`, `bench/bench_reporting.py`, `docs/reporting.md`, `docs/benchmarks.md`
or the benchmark history, and without running the finder or the bench on it; its first run is the honest
figure. Only `bench/reporting_forms_fresh4.py` (format, unit table, self-check), the sheet writer
`cunwu/reporting/tests/sheets.py`, the SERIAL/TOWNSHIP/VILLAGE/key/sign helpers and `factor_in`/
`pairs_by_concept` of the earlier sets, and the titles of the earlier sets (printed to keep topics apart)
were read. The forms were written from what Yunnan county departments send to villages, not from any
vocabulary in the code.

Labels follow `bench/reporting_forms.py`: each data column carries the datum it collects (`concept`) and
the unit its values are in; two columns of different forms are a true pair exactly when their concepts are
equal (a county statistician could reuse one form's value in the other directly), and the unit factor
follows from the two units (`true_factor`: a value in unit a × factor = the value in unit b). A concept
written `total>part` is a 其中 part, its own datum. `python -m bench.reporting_forms_fresh5` writes every
form as a file, reads it back, checks the labels (`label_problems`) and prints the counts: 36 forms of 29
departments, 87 true pairs (24 with a unit factor other than 1), 177 near misses.

About half the topics are new to the held-out sets (自然灾害分灾种损失, 抗旱应急供水, 人工影响天气和冰雹,
烤烟合同和收购, 蔬菜水果产业, 农业机械化和购机补贴, 农村道路交通安全“两站两员”, 农村客货邮融合, 村邮站和
寄递, 古树名木和林下经济, 传统村落和非遗, 红十字博爱家园和应急救护, 区划地名标志, 村庄规划和国土用途,
农民工入会和困难职工, 青年人才和志愿者, 农村科普和专业技术协会, 妇女之家和家庭教育, 惠民惠农补贴“一卡通”, 农药包装
废弃物和农膜回收, 个体工商户和合作社登记); the rest are on common village data (户籍人口和户数, 常住人口,
老年人, 低保特困, 脱贫和监测对象, 医保和养老保险参保缴费, 劳动力转移, 耕地地力保护补贴, 耕地和作物面积产量) so that real
overlaps exist between departments. Hard in the ways real forms are: one datum under different names
(实际移栽面积/烤烟播种面积, 已缴费人数/已参保人数, 村级寄递物流综合服务站/村级寄递物流服务站点, 村域国土面积/
行政区域面积), units that differ (亩/公顷/平方公里/万亩, 吨/公斤, 头/万头, 千瓦/万千瓦, 元/万元, 公里/千米),
measure-over-types headers (农作物受灾面积 over 干旱/风雹/洪涝; 特色产业种植 over crops) and topic-over-measures
headers (粮食/烤烟/蔬菜 over 播种面积/产量), a unit row under bare headers, units in a 单位：line, 其中 parts,
户/人/人次/户次/个/处/块/栋/株/项 kept apart, one GBK and one UTF-8 CSV, and near misses that must not pair
(NEAR_MISSES): 合同面积 against 实际移栽面积, 收购量 against 产量, 出生 against 出生登记, 失能 against 失能、半失能,
已参保 against 本年缴费, 乡村从业人员 against 农村劳动力, 公安登记的拖拉机 against 农机部门的拖拉机, 水利的
受旱面积 against 应急的干旱受灾面积, 风雹 against 冰雹, 传统建筑 against 传统民居, 科普示范户 against 科技示范户,
邮政自己的业务量 against 全部快递进出量, 市场监管登记的家庭农场 against 农业部门的家庭农场.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from bench.reporting_forms import SERIAL, TOWNSHIP, VILLAGE, key, sign
from bench.reporting_forms_fresh import factor_in, pairs_by_concept
from bench.reporting_forms_fresh4 import UNIT_SIZE as FRESH4_UNIT_SIZE
from cunwu.reporting.tests.sheets import Col, FormSpec, Group, form_bytes, form_rows

D = "decimal"

FRESH5: list[FormSpec] = [
    FormSpec(
        "县应急管理局",
        "2028年上半年自然灾害损失情况统计表（分村）",
        [
            key("乡（镇）"),
            key("村（社区）"),
            Col("户籍人口（人）", "pop_total", "人"),
            Group(
                "农作物受灾面积（公顷）",
                (
                    Col("干旱", "drought_area", "公顷", type=D),
                    Col("风雹", "hail_area", "公顷", type=D),
                    Col("洪涝", "flood_area", "公顷", type=D),
                ),
            ),
            Col("其中：绝收面积（公顷）", "crop_damage>total_loss", "公顷", type=D),
            Col("因旱饮水困难人口（人）", "drought_water_pop", "人"),
            Col("因旱饮水困难大牲畜（头）", "drought_water_livestock", "头"),
            Col("倒塌和严重损坏房屋（户）", "collapsed_houses_hh", "户"),
            Col("直接经济损失（万元）", "disaster_loss", "万元", type=D),
            sign("灾害信息员"),
        ],
        meta=["填报单位：          乡（镇）应急管理办公室（盖章）", "统计时段：2028年1月1日至6月30日"],
        footer="灾害信息员：          分管领导：          联系电话：",
    ),
    FormSpec(
        "县水务局",
        "抗旱应急供水和农村饮水保障情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("常住人口（人）", "pop_resident", "人"),
            Col("农村供水人口（人）", "water_pop", "人"),
            Col("因旱临时饮水困难人数（人）", "drought_water_pop", "人"),
            Col("因旱饮水困难大牲畜（万头）", "drought_water_livestock", "万头", type=D),
            Col("农作物受旱面积（亩）", "drought_affected_area", "亩", type=D),
            Col("拉水送水（立方米）", "water_trucked", "立方米", type=D),
            Col("新建应急抗旱水源（处）", "emergency_sources", "处"),
            Col("投入抗旱资金（万元）", "drought_funds", "万元", type=D),
            Col("村级管水员（人）", "water_keepers", "人"),
            sign("填报人"),
        ],
        meta=["填报单位：          水务管理站（盖章）", "截至：    年  月  日"],
    ),
    FormSpec(
        "县气象局",
        "人工影响天气防雹作业和冰雹灾害情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            key("作业点所在村"),
            Col("人影作业点（个）", "weather_mod_sites", "个"),
            Col("防雹作业（次）", "hail_ops", "次"),
            Col("消耗火箭弹（枚）", "hail_rockets", "枚"),
            Col("冰雹灾害受灾面积（亩）", "hail_only_area", "亩", type=D),
            Col("其中：烤烟受灾（亩）", "hail_only_area>tobacco", "亩", type=D),
            Col("气象信息员（人）", "weather_informants", "人"),
            Col("区域自动气象站（个）", "weather_stations", "个"),
            sign("作业点负责人"),
        ],
        column_numbers=True,
        meta=["填报单位：          人工影响天气作业点", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县烟草专卖局（分公司）",
        "2028年烤烟种植合同签订和烟叶收购进度表",
        [
            SERIAL,
            key("烟叶站（点）"),
            key("村委会"),
            Col("签订合同烟农（户）", "tobacco_hh", "户"),
            Col("合同种植面积（亩）", "tobacco_contract_area", "亩", type=D),
            Col("实际移栽面积（亩）", "tobacco_area", "亩", type=D),
            Col("合同收购量（担）", "tobacco_contract_qty", "担", type=D),
            Col("已收购量（担）", "tobacco_purchase", "担", type=D),
            Col("收购金额（万元）", "tobacco_purchase_money", "万元", type=D),
            Col("烟叶受雹灾面积（亩）", "hail_only_area>tobacco", "亩", type=D),
            Col("密集烤房（座）", "curing_barns", "座"),
            sign("烟技员"),
        ],
        meta=["填报单位：          烟叶工作站", "统计截止：    年  月  日"],
        footer="烟技员：          站长：          审核：",
    ),
    FormSpec(
        "县统计局",
        "主要农作物播种面积和产量统计年报表（村级）",
        [
            TOWNSHIP,
            VILLAGE,
            Group(
                "粮食",
                (
                    Col("播种面积", "grain_area", "公顷", type=D, unit_cell="公顷"),
                    Col("产量", "grain_output", "吨", type=D, unit_cell="吨"),
                ),
            ),
            Group(
                "烤烟",
                (
                    Col("播种面积", "tobacco_area", "公顷", type=D, unit_cell="公顷"),
                    Col("产量", "tobacco_output", "吨", type=D, unit_cell="吨"),
                ),
            ),
            Group(
                "蔬菜",
                (
                    Col("播种面积", "veg_area", "公顷", type=D, unit_cell="公顷"),
                    Col("产量", "veg_output", "吨", type=D, unit_cell="吨"),
                ),
            ),
            Group(
                "园林水果",
                (
                    Col("年末面积", "orchard_area", "公顷", type=D, unit_cell="公顷"),
                    Col("产量", "fruit_output", "吨", type=D, unit_cell="吨"),
                ),
            ),
            Col("农药使用量", "pesticide_use", "吨", type=D, unit_cell="吨"),
            Col("农用塑料薄膜使用量", "film_use", "吨", type=D, unit_cell="吨"),
            Col("农业机械总动力", "farm_power", "万千瓦", type=D, unit_cell="万千瓦"),
        ],
        unit_row=True,
        meta=["填报单位：", "报告期：    年"],
        footer="单位负责人：          统计负责人：          填表人：          报出日期：",
    ),
    FormSpec(
        "县农业农村局",
        "高原特色农业蔬菜水果产业发展情况表",
        [
            SERIAL,
            key("乡（镇）"),
            key("村（社区）"),
            Col("蔬菜播种面积（亩）", "veg_area", "亩", type=D),
            Col("蔬菜产量（吨）", "veg_output", "吨", type=D),
            Col("果园面积（亩）", "orchard_area", "亩", type=D),
            Col("其中：投产面积（亩）", "orchard_area>bearing", "亩", type=D),
            Col("水果产量（公斤）", "fruit_output", "公斤", type=D),
            Col("农民专业合作社（个）", "coops", "个"),
            Col("家庭农场（个）", "family_farms", "个"),
            Col("农业科技示范户（户）", "tech_demo_hh", "户"),
            Col("产品销售收入（万元）", "horti_sales", "万元", type=D),
        ],
        meta=["填报单位：          农业农村综合服务中心（盖章）", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县农业农村局",
        "农业机械化发展和农机购置补贴情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("农机总动力（千瓦）", "farm_power", "千瓦", type=D),
            Col("拖拉机（台）", "tractors", "台"),
            Col("其中：大中型拖拉机（台）", "tractors>large", "台"),
            Col("微耕机（台）", "tillers", "台"),
            Col("机耕面积（亩）", "machine_plowed", "亩", type=D),
            Col("机收面积（亩）", "machine_harvested", "亩", type=D),
            Col("购机补贴资金（元）", "machinery_subsidy", "元", type=D),
            Col("享受补贴农户（户）", "machinery_subsidy_hh", "户"),
            Col("农机专业合作社（个）", "machinery_coops", "个"),
            sign("农机管理员"),
        ],
        column_numbers=True,
    ),
    FormSpec(
        "县公安局交通管理大队",
        "农村道路交通安全“两站两员”和机动车驾驶人情况统计表",
        [
            SERIAL,
            key("派出所"),
            key("行政村"),
            Col("辖区农村公路里程（千米）", "rural_roads", "千米", type=D),
            Col("交通安全劝导站（个）", "traffic_posts", "个"),
            Col("交通安全劝导员（人）", "traffic_wardens", "人"),
            Col("摩托车（辆）", "motorcycles", "辆"),
            Col("登记拖拉机（辆）", "tractors_registered", "辆"),
            Col("机动车驾驶人（人）", "drivers", "人"),
            Col("本年道路交通事故（起）", "traffic_accidents", "起"),
            Col("死亡（人）", "traffic_deaths", "人"),
            sign("劝导员签字"),
        ],
        meta=["填报单位：          派出所（交警中队）", "统计时间：    年  月  日"],
        footer="填报民警：          中队长：",
    ),
    FormSpec(
        "县交通运输局",
        "农村客货邮融合发展和农村公路管护情况表",
        [
            TOWNSHIP,
            key("建制村"),
            Col("农村公路总里程（公里）", "rural_roads", "公里", type=D),
            Col("其中：村道（公里）", "rural_roads>village", "公里", type=D),
            Col("自然村（个）", "natural_villages", "个"),
            Col("其中：通硬化路（个）", "natural_villages>paved", "个"),
            Col("通客车（是/否）", "bus_service", None, type="yesno"),
            Col("农村客运班线（条）", "bus_lines", "条"),
            Col("村级寄递物流综合服务站（个）", "express_points", "个"),
            Col("月均快递进出量（件）", "parcels", "件"),
            Col("村级路长（人）", "road_chiefs", "人"),
            Col("公路养护员（人）", "road_keepers", "人"),
            sign("填报人"),
        ],
        meta=["填报单位：          交通运输管理所", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "中国邮政集团有限公司县分公司",
        "村级邮政快递服务站点和农产品寄递情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("村邮站（个）", "post_stations", "个"),
            Col("村级寄递物流服务站点（个）", "express_points", "个"),
            Col("月均邮件快件业务量（万件）", "post_parcels", "万件", type=D),
            Col("其中：农产品寄递（万件）", "post_parcels>farm", "万件", type=D),
            Col("农产品寄递重量（吨）", "farm_parcels_weight", "吨", type=D),
            Col("乡邮员（人）", "postmen", "人"),
            Col("代收代缴业务（笔）", "post_payments", "笔"),
        ],
        column_numbers=True,
        footer="填报人：          支局长：          联系电话：",
    ),
    FormSpec(
        "县林业和草原局",
        "古树名木资源普查和林下经济发展情况统计表",
        [
            key("乡镇"),
            key("行政村"),
            Col("林地面积（亩）", "forest_land", "亩", type=D),
            Col("古树名木（株）", "ancient_trees", "株"),
            Col("其中：一级古树（株）", "ancient_trees>grade1", "株"),
            Col("已挂牌保护（株）", "ancient_trees_tagged", "株"),
            Col("林下经济利用面积（万亩）", "forest_econ_area", "万亩", type=D),
            Col("林下种植中药材（亩）", "forest_herbs", "亩", type=D),
            Col("野生菌采集量（吨）", "mushrooms", "吨", type=D),
            Col("林下经济产值（万元）", "forest_econ_output", "万元", type=D),
            Col("带动农户（户）", "forest_econ_hh", "户"),
            sign("林业站负责人"),
        ],
        meta=["填报单位：          林业和草原服务站（盖章）", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县乡村振兴局",
        "乡村特色产业发展和联农带农情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("脱贫户（户）", "tuopin_hh", "户"),
            Col("脱贫人口（人）", "tuopin_pop", "人"),
            Group(
                "特色产业种植面积（亩）",
                (
                    Col("烤烟", "tobacco_area", "亩", type=D),
                    Col("蔬菜", "veg_area", "亩", type=D),
                    Col("水果", "orchard_area", "亩", type=D),
                    Col("林下经济", "forest_econ_area", "亩", type=D),
                ),
            ),
            Col("野生菌（公斤）", "mushrooms", "公斤", type=D),
            Col("农民专业合作社（个）", "coops", "个"),
            Col("联农带农经营主体（个）", "linked_entities", "个"),
            Col("带动脱贫户（户）", "linked_tuopin_hh", "户"),
            Col("产业帮扶资金（万元）", "industry_funds", "万元", type=D),
            sign("驻村第一书记"),
        ],
        meta=["填报单位：", "统计时间：    年  月  日"],
    ),
    FormSpec(
        "县文化和旅游局",
        "中国传统村落和非物质文化遗产保护情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            key("村（社区）"),
            Col("列入中国传统村落名录（是/否）", "traditional_village", None, type="yesno"),
            Col("传统建筑（栋）", "traditional_buildings", "栋"),
            Col("非遗代表性项目（项）", "ich_items", "项"),
            Col("非遗代表性传承人（人）", "ich_inheritors", "人"),
            Col("文物保护单位（处）", "relics", "处"),
            Col("古树名木（株）", "ancient_trees", "株"),
            Col("民族文化传习所（个）", "culture_halls", "个"),
            sign("文化专管员"),
        ],
        meta=["填报单位：          文化和旅游广播电视体育服务中心", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县住房和城乡建设局",
        "传统村落保护发展和农房风貌提升情况表",
        [
            key("乡镇"),
            key("村（社区）"),
            Col("中国传统村落（是/否）", "traditional_village", None, type="yesno"),
            Col("农户（户）", "hh_total", "户"),
            Col("传统民居（栋）", "traditional_houses", "栋"),
            Col("其中：已修缮（栋）", "traditional_houses>repaired", "栋"),
            Col("本年新建农房（户）", "new_houses_hh", "户"),
            Col("农房风貌改造（户）", "facade_hh", "户"),
            Col("保护发展资金（万元）", "heritage_funds", "万元", type=D),
            Col("农村建筑工匠（人）", "craftsmen", "人"),
        ],
        meta=["填报单位：", "单位：户、栋、人、万元"],
        footer="填报人：          村建站负责人：",
    ),
    FormSpec(
        "县红十字会",
        "红十字“博爱家园”和群众性应急救护培训情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("红十字会员（人）", "rc_members", "人"),
            Col("红十字志愿者（人）", "rc_volunteers", "人"),
            Col("应急救护普及培训（人次）", "first_aid_trained", "人次"),
            Col("持证救护员（人）", "first_aid_certified", "人"),
            Col("“博爱送万家”慰问（户）", "rc_aid_hh", "户"),
            Col("慰问款物折款（元）", "rc_aid_money", "元", type=D),
            Col("无偿献血（人次）", "blood_donors", "人次"),
            sign("村红十字会负责人"),
        ],
    ),
    FormSpec(
        "县卫生健康局",
        "65岁及以上老年人健康管理和医养结合服务情况统计表",
        [
            key("乡镇"),
            key("村（社区）"),
            Col("辖区常住人口（人）", "pop_resident", "人"),
            Col("本年出生（人）", "births", "人"),
            Col("65岁及以上老年人（人）", "elderly65", "人"),
            Col("其中：接受健康管理（人）", "elderly65>managed", "人"),
            Col("失能老年人（人）", "disabled_elderly", "人"),
            Col("家庭医生签约（人）", "signed_pop", "人"),
            Col("乡村医生（人）", "village_doctors", "人"),
            sign("村医签字"),
        ],
        meta=["填报单位：          乡镇卫生院（盖章）", "填报日期：    年  月  日"],
        footer="填报人：          公卫科长：          院长：",
    ),
    FormSpec(
        "县民政局",
        "农村老年人口和高龄津贴发放情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("户籍人口（人）", "pop_total", "人"),
            Col("60周岁以上老年人（人）", "elderly60", "人"),
            Col("其中：80周岁以上（人）", "elderly60>80", "人"),
            Col("失能、半失能老年人（人）", "disabled_elderly_semi", "人"),
            Col("农村留守老年人（人）", "left_elderly", "人"),
            Group(
                "高龄津贴",
                (
                    Col("享受人数（人）", "elderly_allowance_pop", "人"),
                    Col("发放金额（元）", "elderly_allowance_money", "元", type=D),
                ),
            ),
            Col("村级互助养老服务站（个）", "elder_stations", "个"),
            sign("民政协理员"),
        ],
        column_numbers=True,
    ),
    FormSpec(
        "县人力资源和社会保障局",
        "城乡居民基本养老保险参保缴费和待遇发放情况表",
        [
            key("乡（镇）"),
            key("村（社区）"),
            Col("16周岁以上应参保人员（人）", "pension_due", "人"),
            Col("已参保人数（人）", "pension_insured", "人"),
            Col("其中：本年缴费（人）", "pension_insured>paid", "人"),
            Col("政府代缴（人）", "pension_proxy", "人"),
            Col("60周岁以上领取待遇（人）", "pension_receivers", "人"),
            Col("发放养老金（万元）", "pension_paid_money", "万元", type=D),
            Col("劳动保障协理员（人）", "labor_assistants", "人"),
        ],
        meta=["填报单位：          人力资源和社会保障服务中心", "截至：    年  月  日"],
    ),
    FormSpec(
        "国家税务总局县税务局",
        "2028年度城乡居民医保和养老保险费征收进度表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Group(
                "城乡居民基本医疗保险",
                (
                    Col("应缴费人数", "medins_due", "人"),
                    Col("已缴费人数", "medins_insured", "人"),
                    Col("征收金额", "medins_fee", "元", type=D),
                ),
            ),
            Group(
                "城乡居民基本养老保险",
                (
                    Col("缴费人数", "pension_insured>paid", "人"),
                    Col("征收金额", "pension_fee", "元", type=D),
                ),
            ),
            Col("代收网点（个）", "tax_points", "个"),
        ],
        fmt="csv-utf8",
        meta=["填报单位：          税务分局", "单位：人、元、个"],
        footer="征收员：          分局长：",
    ),
    FormSpec(
        "县医疗保障局",
        "城乡居民基本医疗保险参保和医疗救助资助参保情况表",
        [
            key("乡镇"),
            key("村（社区）"),
            Col("户籍人口（人）", "pop_total", "人"),
            Col("应参保人数（人）", "medins_due", "人"),
            Col("已参保人数（人）", "medins_insured", "人"),
            Col("参保率（%）", "medins_rate", "%", type="percentage"),
            Col("个人缴费金额（万元）", "medins_fee", "万元", type=D),
            Col("脱贫人口（人）", "tuopin_pop", "人"),
            Col("防返贫监测对象（人）", "monitor_pop", "人"),
            Col("农村低保对象（人）", "dibao_pop", "人"),
            Col("资助参保人数（人）", "medins_subsidized", "人"),
            Col("其中：特困人员（人）", "medins_subsidized>tekun", "人"),
            Col("资助金额（元）", "medins_subsidy_money", "元", type=D),
            Col("医疗救助（人次）", "med_aid", "人次"),
        ],
        meta=["填报单位：", "统计时间：    年  月  日"],
    ),
    FormSpec(
        "县民政局",
        "城乡低保、特困供养和临时救助情况季报表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Group(
                "农村低保",
                (
                    Col("户数", "dibao_hh", "户"),
                    Col("人数", "dibao_pop", "人"),
                    Col("保障金", "dibao_money", "万元", type=D),
                ),
            ),
            Group(
                "特困供养",
                (
                    Col("人数", "tekun_pop", "人"),
                    Col("其中：集中供养", "tekun_pop>central", "人"),
                ),
            ),
            Col("临时救助（人次）", "temp_aid", "人次"),
            Col("临时救助金额（万元）", "temp_aid_money", "万元", type=D),
            sign("社会救助协理员"),
        ],
        meta=["填报单位：", "单位：户、人、人次、万元"],
        footer="填报人：          民政所所长：          报送日期：",
    ),
    FormSpec(
        "县乡村振兴局",
        "脱贫人口和监测对象收入监测及兜底保障情况表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("脱贫户（户）", "tuopin_hh", "户"),
            Col("脱贫人口（人）", "tuopin_pop", "人"),
            Col("监测户（户）", "monitor_hh", "户"),
            Col("监测对象（人）", "monitor_pop", "人"),
            Col("纳入农村低保（人）", "tuopin_dibao", "人"),
            Col("纳入特困供养（人）", "tuopin_tekun", "人"),
            Col("全村低保户（户）", "dibao_hh", "户"),
            Col("脱贫劳动力务工就业（人）", "transferred>tuopin", "人"),
            Col("脱贫人口人均纯收入（元）", "tuopin_income", "元", type=D),
            sign("驻村工作队队长"),
        ],
        meta=["填报单位：", "统计月份：    年  月"],
    ),
    FormSpec(
        "县民政局",
        "行政区划和村级地名标志设置情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            key("村（居）委会"),
            Col("自然村（个）", "natural_villages", "个"),
            Col("村民小组（个）", "groups", "个"),
            Col("村域面积（平方公里）", "village_area", "平方公里", type=D),
            Col("村牌（块）", "village_signs", "块"),
            Col("地名标志（块）", "place_signs", "块"),
            Col("门牌（块）", "door_plates", "块"),
            Col("户籍户数（户）", "hh_total", "户"),
        ],
        fmt="csv-gbk",
        meta=["填报单位：", "填报日期：    年  月  日"],
        footer="填报人：          审核人：",
    ),
    FormSpec(
        "县自然资源局",
        "村庄规划编制和国土空间用途现状情况表",
        [
            key("乡镇"),
            key("行政村"),
            Col("村域国土面积（公顷）", "village_area", "公顷", type=D),
            Col("耕地（公顷）", "cultivated_land", "公顷", type=D),
            Col("其中：永久基本农田（公顷）", "cultivated_land>basic", "公顷", type=D),
            Col("园地（公顷）", "garden_land", "公顷", type=D),
            Col("林地（公顷）", "forest_land", "公顷", type=D),
            Col("村庄建设用地（公顷）", "village_build_land", "公顷", type=D),
            Col("村庄规划已编制（是/否）", "plan_done", None, type="yesno"),
            Col("自然村（个）", "natural_villages", "个"),
        ],
        meta=["填报单位：          自然资源所", "数据来源：国土变更调查    年度"],
    ),
    FormSpec(
        "县统计局",
        "村级基本情况统计年报表",
        [
            TOWNSHIP,
            VILLAGE,
            Col("行政区域面积（平方公里）", "village_area", "平方公里", type=D),
            Col("自然村（个）", "natural_villages", "个"),
            Col("村民小组（个）", "groups", "个"),
            Col("年末户籍户数（户）", "hh_total", "户"),
            Col("年末户籍人口（人）", "pop_total", "人"),
            Col("年末常住人口（人）", "pop_resident", "人"),
            Col("本年出生人口（人）", "births", "人"),
            Col("乡村从业人员（人）", "rural_employed", "人"),
            Col("外出务工半年以上人员（人）", "migrant_halfyear", "人"),
            Col("年末耕地面积（亩）", "cultivated_land", "亩", type=D),
            Col("农民专业合作社（个）", "coops", "个"),
            Col("农村居民人均可支配收入（元）", "farmer_income", "元", type=D),
        ],
        column_numbers=True,
        meta=["填报单位：", "单位负责人："],
        footer="统计负责人：          填表人：          报出日期：    年  月  日",
    ),
    FormSpec(
        "县公安局",
        "户籍人口及变动情况统计表",
        [
            SERIAL,
            key("派出所"),
            key("村（居）委会"),
            Col("户籍户数（户）", "hh_total", "户"),
            Col("户籍人口（人）", "pop_total", "人"),
            Group(
                "其中",
                (
                    Col("男（人）", "pop_total>male", "人"),
                    Col("女（人）", "pop_total>female", "人"),
                    Col("60周岁以上（人）", "elderly60", "人"),
                ),
            ),
            Col("本年出生登记（人）", "births_registered", "人"),
            Col("本年死亡注销（人）", "deaths_registered", "人"),
            Col("迁入（人）", "moved_in", "人"),
            Col("迁出（人）", "moved_out", "人"),
            Col("实有流动人口（人）", "floating_pop", "人"),
            sign("户籍民警"),
        ],
        meta=["填报单位：          派出所", "统计时间：    年  月  日"],
    ),
    FormSpec(
        "县人力资源和社会保障局",
        "农村劳动力转移就业和职业技能培训情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("农村劳动力（人）", "rural_labor", "人"),
            Col("转移就业（人）", "transferred", "人"),
            Col("其中：省外（人）", "transferred>out_province", "人"),
            Col("其中：脱贫劳动力（人）", "transferred>tuopin", "人"),
            Col("职业技能培训（人次）", "skills_training", "人次"),
            Col("劳务经纪人（人）", "labor_brokers", "人"),
            Col("劳务收入（万元）", "labor_income", "万元", type=D),
        ],
        meta=["填报单位：", "截至：    年  月  日"],
        footer="填报人：          劳动保障协理员：",
    ),
    FormSpec(
        "县总工会",
        "农民工入会和困难职工帮扶情况统计表",
        [
            key("乡镇工会"),
            key("村（社区）"),
            Col("转移就业农民工（人）", "transferred", "人"),
            Col("农民工会员（人）", "union_members", "人"),
            Col("建档困难职工（户）", "hard_workers_hh", "户"),
            Col("“金秋助学”资助（人）", "union_students", "人"),
            Col("送温暖慰问（户次）", "union_visits", "户次"),
            Col("慰问金（元）", "union_money", "元", type=D),
            sign("工会主席"),
        ],
    ),
    FormSpec(
        "共青团县委",
        "农村青年人才和青年志愿者队伍情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("14-35周岁青年（人）", "youth", "人"),
            Col("共青团员（人）", "league_members", "人"),
            Col("返乡就业创业青年（人）", "returnee_youth", "人"),
            Col("其中：高校毕业生（人）", "returnee_youth>grads", "人"),
            Col("注册青年志愿者（人）", "youth_volunteers", "人"),
            Col("农村留守儿童（人）", "left_children", "人"),
            Col("“希望工程”资助学生（人）", "hope_students", "人"),
            sign("团支部书记"),
        ],
        meta=["填报单位：          乡镇团委（盖章）", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县科学技术协会",
        "农村科普阵地和农村专业技术协会情况统计表",
        [
            key("乡镇"),
            key("村"),
            Col("科普宣传栏（块）", "science_boards", "块"),
            Col("科普活动（场次）", "science_events", "场次"),
            Col("参与群众（人次）", "science_audience", "人次"),
            Col("农村专业技术协会（个）", "tech_assocs", "个"),
            Col("协会会员（人）", "tech_assoc_members", "人"),
            Col("科普示范户（户）", "science_demo_hh", "户"),
            Col("乡土人才（人）", "local_talents", "人"),
        ],
        column_numbers=True,
        meta=["填报单位：          乡镇科协", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县妇女联合会",
        "“妇女之家”和家庭教育指导服务情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("妇女之家（个）", "women_homes", "个"),
            Col("家庭教育指导服务站点（个）", "family_edu_points", "个"),
            Col("家庭教育讲座（场次）", "family_edu_talks", "场次"),
            Col("农村留守妇女（人）", "left_women", "人"),
            Col("农村留守儿童（人）", "left_children", "人"),
            Col("“最美家庭”（户）", "best_families", "户"),
            Col("村妇联执委（人）", "women_cadres", "人"),
            sign("村妇联主席"),
        ],
    ),
    FormSpec(
        "市生态环境局县分局",
        "农业面源污染防治和农药包装废弃物、废旧农膜回收情况表",
        [
            key("村（社区）"),
            Col("农药使用量（吨）", "pesticide_use", "吨", type=D),
            Col("农药包装废弃物回收量（公斤）", "pest_pack_recycled", "公斤", type=D),
            Col("回收处置率（%）", "pest_pack_rate", "%", type="percentage"),
            Col("农膜使用量（吨）", "film_use", "吨", type=D),
            Col("废旧农膜回收量（吨）", "film_recycled", "吨", type=D),
            Col("秸秆综合利用率（%）", "straw_rate", "%", type="percentage"),
            Col("回收网点（个）", "recycle_points", "个"),
            sign("填报人"),
        ],
        meta=["填报单位：", "填报日期：    年  月  日"],
    ),
    FormSpec(
        "县供销合作社",
        "农药包装废弃物和废旧农膜回收网点运行情况统计表",
        [
            key("基层供销社"),
            key("回收网点所在村"),
            Col("回收网点（个）", "recycle_points", "个"),
            Col("回收农药包装废弃物（吨）", "pest_pack_recycled", "吨", type=D),
            Col("回收废旧农膜（公斤）", "film_recycled", "公斤", type=D),
            Col("农药销售量（吨）", "pesticide_sales", "吨", type=D),
            Col("农资销售额（万元）", "farm_supply_sales", "万元", type=D),
            Col("回收人员（人）", "recyclers", "人"),
        ],
        meta=["填报单位：", "统计时间：    年  月  日"],
        footer="填报人：          主任：",
    ),
    FormSpec(
        "县市场监督管理局",
        "个体工商户和农民专业合作社登记情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("实有个体工商户（户）", "indiv_biz", "户"),
            Col("其中：本年新设立（户）", "indiv_biz>new", "户"),
            Col("农民专业合作社（个）", "coops", "个"),
            Col("登记注册的家庭农场（个）", "family_farms_registered", "个"),
            Col("农资经营店（家）", "farm_input_shops", "家"),
            Col("食品经营者（家）", "food_businesses", "家"),
        ],
        meta=["填报单位：          市场监督管理所", "统计时间：    年  月  日"],
        footer="填报人：          所长：",
    ),
    FormSpec(
        "县财政局",
        "惠民惠农财政补贴资金“一卡通”发放情况统计表",
        [
            SERIAL,
            TOWNSHIP,
            VILLAGE,
            Col("发放农户（户）", "yikatong_hh", "户"),
            Group(
                "发放金额（元）",
                (
                    Col("耕地地力保护补贴", "farmland_subsidy_money", "元", type=D),
                    Col("农村低保金", "dibao_money", "元", type=D),
                    Col("特困人员救助供养金", "tekun_money", "元", type=D),
                    Col("高龄津贴", "elderly_allowance_money", "元", type=D),
                    Col("城乡居民养老保险待遇", "pension_paid_money", "元", type=D),
                    Col("生态护林员补助", "ranger_pay", "元", type=D),
                ),
            ),
            Col("合计（元）", "yikatong_money", "元", type=D),
            sign("经办人"),
        ],
        meta=["填报单位：          乡（镇）财政所（盖章）", "发放期间：    年  月至  月"],
        footer="经办人：          财政所所长：          分管领导：",
    ),
    FormSpec(
        "县农业农村局",
        "耕地地力保护补贴面积核实和粮食生产情况表",
        [
            SERIAL,
            key("村（社区）"),
            Col("耕地面积（亩）", "cultivated_land", "亩", type=D),
            Col("补贴面积（亩）", "farmland_subsidy_area", "亩", type=D),
            Col("享受补贴农户（户）", "farmland_subsidy_hh", "户"),
            Col("补贴资金（万元）", "farmland_subsidy_money", "万元", type=D),
            Col("粮食播种面积（亩）", "grain_area", "亩", type=D),
            Col("粮食产量（公斤）", "grain_output", "公斤", type=D),
            Col("撂荒耕地（亩）", "abandoned_land", "亩", type=D),
            Col("其中：已复耕（亩）", "abandoned_land>recovered", "亩", type=D),
            sign("村委会主任（签字）"),
            sign("村民监督委员会（签字）"),
        ],
        meta=["填报单位：", "单位：亩、户、万元、公斤"],
        footer="公示时间：    年  月  日至  月  日    填报人：",
    ),
]


# Pairs of concepts a careless finder could pair but that are different data (each a real temptation above).
NEAR_MISSES: list[tuple[str, str]] = [
    ("drought_area", "hail_area"),
    ("drought_area", "drought_affected_area"),
    ("drought_area", "flood_area"),
    ("hail_area", "flood_area"),
    ("drought_area", "crop_damage>total_loss"),
    ("hail_only_area", "hail_only_area>tobacco"),
    ("hail_area", "hail_only_area"),
    ("hail_area", "hail_only_area>tobacco"),
    ("drought_water_pop", "water_pop"),
    ("drought_water_pop", "drought_water_livestock"),
    ("pop_total", "drought_water_pop"),
    ("collapsed_houses_hh", "new_houses_hh"),
    ("disaster_loss", "drought_funds"),
    ("water_trucked", "emergency_sources"),
    ("water_keepers", "road_keepers"),
    ("weather_mod_sites", "weather_stations"),
    ("hail_ops", "hail_rockets"),
    ("weather_informants", "weather_mod_sites"),
    ("tobacco_hh", "tobacco_contract_area"),
    ("tobacco_contract_area", "tobacco_area"),
    ("tobacco_contract_qty", "tobacco_purchase"),
    ("tobacco_purchase", "tobacco_output"),
    ("tobacco_purchase", "tobacco_purchase_money"),
    ("tobacco_area", "tobacco_output"),
    ("grain_area", "grain_output"),
    ("veg_area", "veg_output"),
    ("orchard_area", "orchard_area>bearing"),
    ("orchard_area", "fruit_output"),
    ("veg_area", "orchard_area"),
    ("grain_area", "tobacco_area"),
    ("pesticide_use", "pesticide_sales"),
    ("pesticide_use", "pest_pack_recycled"),
    ("film_use", "film_recycled"),
    ("pest_pack_recycled", "film_recycled"),
    ("pest_pack_rate", "straw_rate"),
    ("farm_power", "machine_plowed"),
    ("tractors", "tractors>large"),
    ("tractors", "tractors_registered"),
    ("tractors", "tillers"),
    ("machine_plowed", "machine_harvested"),
    ("machinery_subsidy_hh", "tech_demo_hh"),
    ("machinery_coops", "coops"),
    ("coops", "family_farms"),
    ("family_farms", "family_farms_registered"),
    ("coops", "linked_entities"),
    ("tech_assocs", "coops"),
    ("horti_sales", "forest_econ_output"),
    ("rural_roads", "rural_roads>village"),
    ("traffic_posts", "express_points"),
    ("traffic_wardens", "road_keepers"),
    ("road_chiefs", "road_keepers"),
    ("motorcycles", "drivers"),
    ("traffic_accidents", "traffic_deaths"),
    ("express_points", "post_stations"),
    ("post_parcels", "post_parcels>farm"),
    ("parcels", "post_parcels"),
    ("post_parcels>farm", "farm_parcels_weight"),
    ("bus_lines", "rural_roads"),
    ("postmen", "road_keepers"),
    ("ancient_trees", "ancient_trees>grade1"),
    ("ancient_trees", "ancient_trees_tagged"),
    ("forest_econ_area", "forest_herbs"),
    ("forest_econ_area", "forest_land"),
    ("forest_econ_hh", "linked_tuopin_hh"),
    ("mushrooms", "forest_econ_output"),
    ("linked_tuopin_hh", "tuopin_hh"),
    ("industry_funds", "heritage_funds"),
    ("traditional_houses", "traditional_houses>repaired"),
    ("traditional_houses", "new_houses_hh"),
    ("traditional_buildings", "traditional_houses"),
    ("facade_hh", "new_houses_hh"),
    ("ich_items", "ich_inheritors"),
    ("relics", "culture_halls"),
    ("traditional_village", "plan_done"),
    ("rc_members", "rc_volunteers"),
    ("first_aid_trained", "first_aid_certified"),
    ("rc_aid_hh", "union_visits"),
    ("rc_aid_money", "union_money"),
    ("rc_volunteers", "youth_volunteers"),
    ("blood_donors", "first_aid_trained"),
    ("births", "births_registered"),
    ("pop_resident", "pop_total"),
    ("elderly65", "elderly60"),
    ("elderly65", "elderly65>managed"),
    ("elderly60", "elderly60>80"),
    ("disabled_elderly", "disabled_elderly_semi"),
    ("elderly60", "left_elderly"),
    ("elderly60", "pension_receivers"),
    ("elderly60>80", "elderly_allowance_pop"),
    ("elderly_allowance_pop", "elderly_allowance_money"),
    ("signed_pop", "elderly65>managed"),
    ("elder_stations", "women_homes"),
    ("pension_due", "pension_insured"),
    ("pension_insured", "pension_insured>paid"),
    ("pension_proxy", "pension_insured>paid"),
    ("pension_paid_money", "pension_fee"),
    ("labor_assistants", "labor_brokers"),
    ("medins_due", "medins_insured"),
    ("medins_insured", "pension_insured>paid"),
    ("medins_fee", "pension_fee"),
    ("medins_fee", "medins_subsidy_money"),
    ("medins_subsidized", "medins_subsidized>tekun"),
    ("medins_subsidized>tekun", "tekun_pop"),
    ("medins_subsidized", "med_aid"),
    ("medins_due", "pop_total"),
    ("medins_rate", "pest_pack_rate"),
    ("dibao_hh", "dibao_pop"),
    ("dibao_pop", "tuopin_dibao"),
    ("tekun_pop", "tuopin_tekun"),
    ("tekun_pop", "tekun_pop>central"),
    ("dibao_money", "temp_aid_money"),
    ("temp_aid", "med_aid"),
    ("tuopin_hh", "monitor_hh"),
    ("tuopin_pop", "monitor_pop"),
    ("monitor_hh", "monitor_pop"),
    ("tuopin_income", "farmer_income"),
    ("natural_villages", "groups"),
    ("natural_villages", "natural_villages>paved"),
    ("village_signs", "place_signs"),
    ("place_signs", "door_plates"),
    ("door_plates", "hh_total"),
    ("village_area", "village_build_land"),
    ("cultivated_land", "cultivated_land>basic"),
    ("cultivated_land", "garden_land"),
    ("garden_land", "orchard_area"),
    ("cultivated_land", "grain_area"),
    ("hh_total", "indiv_biz"),
    ("pop_total", "pop_total>male"),
    ("pop_total>male", "pop_total>female"),
    ("moved_in", "moved_out"),
    ("floating_pop", "migrant_halfyear"),
    ("deaths_registered", "traffic_deaths"),
    ("rural_employed", "rural_labor"),
    ("migrant_halfyear", "transferred"),
    ("transferred", "transferred>out_province"),
    ("transferred", "transferred>tuopin"),
    ("transferred", "union_members"),
    ("skills_training", "science_audience"),
    ("labor_income", "farmer_income"),
    ("hard_workers_hh", "union_visits"),
    ("union_students", "hope_students"),
    ("youth", "league_members"),
    ("returnee_youth", "returnee_youth>grads"),
    ("youth_volunteers", "league_members"),
    ("left_children", "left_women"),
    ("left_elderly", "left_women"),
    ("science_boards", "village_signs"),
    ("science_events", "family_edu_talks"),
    ("tech_assocs", "tech_assoc_members"),
    ("local_talents", "craftsmen"),
    ("women_homes", "family_edu_points"),
    ("best_families", "science_demo_hh"),
    ("science_demo_hh", "tech_demo_hh"),
    ("recycle_points", "recyclers"),
    ("pesticide_sales", "farm_supply_sales"),
    ("indiv_biz", "indiv_biz>new"),
    ("farm_input_shops", "food_businesses"),
    ("farm_input_shops", "recycle_points"),
    ("cultivated_land", "farmland_subsidy_area"),
    ("farmland_subsidy_hh", "yikatong_hh"),
    ("farmland_subsidy_money", "yikatong_money"),
    ("dibao_money", "tekun_money"),
    ("tekun_money", "elderly_allowance_money"),
    ("pension_paid_money", "yikatong_money"),
    ("ranger_pay", "farmland_subsidy_money"),
    ("grain_area", "farmland_subsidy_area"),
    ("abandoned_land", "abandoned_land>recovered"),
    ("abandoned_land", "cultivated_land"),
    ("machinery_subsidy", "farmland_subsidy_money"),
    ("machinery_subsidy_hh", "farmland_subsidy_hh"),
    ("medins_subsidized", "dibao_pop"),
    ("monitor_pop", "medins_subsidized"),
    ("tuopin_pop", "tuopin_dibao"),
    ("transferred>tuopin", "tuopin_pop"),
    ("elderly60", "pop_total>male"),
    ("births", "pop_resident"),
    ("forest_land", "forest_herbs"),
]

# FRESH4's unit sizes plus the units this set adds (kind, size in the kind's base unit); kept here so the
# truth does not come from the code measured. 1 平方公里 = 100 公顷 = 1 500 亩; 1 万亩 = 10 000 亩;
# 1 担 = 50 公斤; 1 万千瓦 = 10 000 千瓦; 1 万件 = 10 000 件; 1 立方米 stands alone. Count units that never
# convert get their own kind of size 1.
UNIT_SIZE: dict[str, tuple[str, float]] = {
    **FRESH4_UNIT_SIZE,
    "平方公里": ("area", 1_500.0),
    "万亩": ("area", 10_000.0),
    "担": ("mass", 50.0),
    "千瓦": ("power", 1.0),
    "万千瓦": ("power", 10_000.0),
    "万件": ("cases", 10_000.0),
    "立方米": ("volume", 1.0),
    "辆": ("vehicles", 1.0),
    "枚": ("rounds", 1.0),
    "项": ("items", 1.0),
    "笔": ("transactions", 1.0),
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
        files = written_and_read_back(FRESH5, Path(tmp))
    truth = true_pairs(FRESH5)
    print(
        f"{files} forms written and read back, {len({s.department for s in FRESH5})} departments, "
        f"{len(truth)} true pairs, {sum(f not in (1.0, None) for f in truth.values())} with a unit factor, "
        f"{len(NEAR_MISSES)} near misses; label problems: {label_problems(FRESH5) or 'none'}"
    )
