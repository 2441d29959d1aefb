"""Field names as county forms print them: units, roles, types and the datum (no database)."""

from __future__ import annotations

import pytest

from cunwu.reporting import compare, fields
from cunwu.reporting.compare import overlaps
from cunwu.reporting.formfiles import Column


@pytest.mark.parametrize(
    ("text", "name", "unit"),
    [
        ("低保户数（户）", "低保户数", "户"),
        ("保障金(万元)", "保障金", "万元"),
        ("耕地面积【亩】", "耕地面积", "亩"),
        ("常住人口（单位：人）", "常住人口", "人"),
        ("参保率（%）", "参保率", "%"),
        ("是否建立服务站（是/否）", "是否建立服务站", None),
        ("（万元）", "", "万元"),
        ("人均收入/元", "人均收入", "元"),
    ],
)
def test_split_unit(text: str, name: str, unit: str | None) -> None:
    assert fields.split_unit(text) == (name, unit)


@pytest.mark.parametrize(
    ("headers", "role"),
    [
        (["序号"], "serial"),
        (["乡（镇）"], "key"),
        (["村委会"], "key"),
        (["行政村"], "key"),
        (["村名"], "key"),
        (["填报人"], "signature"),
        (["联系电话"], "signature"),
        (["审核人"], "signature"),
        (["单位负责人"], "signature"),
        (["低保人数（人）"], "data"),
    ],
)
def test_roles(headers: list[str], role: str) -> None:
    assert fields.role_of(headers, 1) == role


def test_generic_sub_header_takes_its_name_from_the_top() -> None:
    assert fields.datum_of(["农村低保", "户数（户）"]) == fields.Datum("农村低保户数", "户", "")
    assert fields.datum_of(["基本情况", "脱贫户数（户）"]).name == "脱贫户数"


def test_part_of_column_remembers_its_whole() -> None:
    datum = fields.datum_of(["其中：纳入低保人数（人）"], parent="残疾人数")
    assert datum == fields.Datum("纳入低保人数", "人", "残疾人数")


@pytest.mark.parametrize(
    ("name", "unit", "samples", "kind"),
    [
        ("低保户数", "户", [3, 4], "integer"),
        ("保障金", "万元", [1.5], "decimal"),
        ("参保率", "%", [], "percentage"),
        ("是否建立服务站", None, [], "yesno"),
        ("出生日期", None, [], "date"),
        ("户主姓名", None, [], "text"),
        ("房屋类别", None, [], "choice"),
        ("出生人数", None, [], "integer"),
    ],
)
def test_types(name: str, unit: str | None, samples: list[object], kind: str) -> None:
    assert fields.infer_type(name, unit, samples) == kind


def test_unit_factors() -> None:
    assert fields.unit_factor("万元", "元") == 10000
    assert fields.unit_factor("元", "万元") == 0.0001
    assert fields.unit_factor("公顷", "亩") == 15
    assert fields.unit_factor("吨", "千克") == 1000
    assert fields.unit_factor("万元", None) == 1
    assert fields.unit_factor("户", "人") is None


def _col(index: int, name: str, unit: str | None, part_of: str = "") -> Column:
    return Column(index, [name], name, unit, "integer", "data", part_of)


def test_households_people_and_parts_are_kept_apart() -> None:
    a = [_col(0, "低保人数", "人"), _col(1, "低保户数", "户"), _col(2, "低保保障金", "万元")]
    b = [
        _col(0, "残疾人数", "人"),
        _col(1, "纳入低保人数", "人", part_of="残疾人数"),
        _col(2, "最低生活保障对象户数", "户"),
    ]
    c = [_col(0, "最低生活保障金", "元")]
    found = {(o.a, o.b): o.unit_factor for o in overlaps([a, b, c])}
    assert ((0, 1), (1, 2)) in found  # 低保户数 = 最低生活保障对象户数
    assert ((0, 0), (1, 1)) not in found  # 低保人数 ≠ 其中：纳入低保人数
    assert found[((0, 2), (2, 0))] == 10000
    assert all(not (k[0] == (0, 1) and k[1] == (1, 1)) for k in found)


def test_the_synonyms_are_data_and_spell_common_statistics_one_way() -> None:
    assert fields.FORM_LEXICON.name == "form_fields.csv"
    assert fields.SYNONYMS["最低生活保障"] == "低保" and fields.SYNONYMS["五保"] == "特困"
    same = [
        ("参加城乡居民基本养老保险人数", "城乡居民养老保险参保人数"),
        ("参加城乡居民基本医疗保险人数", "基本医疗保险参保人数"),
        ("转移输出劳动力", "外出务工人数"),
        ("防止返贫监测对象人数", "监测对象人数"),
    ]
    for a, b in same:
        assert fields.canonical(a) == fields.canonical(b), (a, b)
    assert fields.canonical("常住人口") != fields.canonical("户籍人口")


def test_a_time_qualified_sub_header_takes_its_name_from_the_top() -> None:
    assert fields.datum_of(["最低生活保障", "全年支出"]).name == "最低生活保障全年支出"
    assert fields.canonical("最低生活保障全年支出") == fields.canonical("低保金额")


def test_a_part_matches_a_column_naming_the_total_and_the_part_together() -> None:
    a = [_col(0, "特困供养人数", "人"), _col(1, "分散供养", "人", part_of="特困供养人数")]
    b = [_col(0, "特困人员分散供养", "人"), _col(1, "特困人员", "人")]
    found = {(o.a, o.b) for o in overlaps([a, b])}
    assert ((0, 1), (1, 0)) in found
    assert ((0, 1), (1, 1)) not in found  # the part is not the total


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("农村户籍人口", "户籍人口"),  # a 农村/全村/辖区 qualifier on a village's population
        ("全村总人口", "户籍总人口"),
        ("辖区户籍人口", "总人口"),
        ("农村常住人口", "常住人口"),
        ("生猪年末存栏", "生猪存栏"),  # a yearly form's stock is its year-end stock
        ("期末存栏", "存栏"),
        ("受威胁群众", "威胁人数"),  # 群众/村民 count people
        ("在岗护林员", "护林员"),
        ("60周岁以上户籍老年人", "60岁以上老年人口"),
        ("脱贫人口务工就业人数", "脱贫劳动力转移就业"),
    ],
)
def test_qualifiers_that_do_not_change_the_datum(a: str, b: str) -> None:
    assert fields.canonical(a) == fields.canonical(b)


def test_qualifiers_that_change_the_datum_stay() -> None:
    assert fields.canonical("农村户籍人口") != fields.canonical("常住人口")
    assert fields.canonical("生猪存栏") != fields.canonical("生猪出栏")
    assert fields.canonical("生猪存栏") == "生猪存栏"  # 猪存栏 inside it is not spelled again
    assert fields.canonical("威胁人数") != fields.canonical("威胁户数")


def test_a_top_header_naming_the_measure_gives_it_to_the_types_below() -> None:
    assert fields.datum_of(["地类面积（公顷）", "耕地"]) == fields.Datum("耕地面积", "公顷", "")
    assert fields.datum_of(["面积（亩）", "林地"]).name == "林地面积"
    assert fields.datum_of(["地类面积（公顷）", "耕地面积"]).name == "耕地面积"
    a = [_col(0, "耕地面积", "公顷"), _col(1, "林地面积", "公顷")]
    b = [_col(0, "耕地面积", "亩"), _col(1, "林地面积", "亩")]
    found = {(o.a, o.b): o.unit_factor for o in overlaps([a, b])}
    assert found == {((0, 0), (1, 0)): 15, ((0, 1), (1, 1)): 15}


def test_a_part_that_names_its_whole_pairs_with_the_same_datum_standing_alone() -> None:
    a = [_col(0, "农村劳动力", "人"), _col(1, "脱贫劳动力", "人", part_of="农村劳动力")]
    b = [_col(0, "脱贫劳动力", "人"), _col(1, "脱贫人口", "人")]
    found = {(o.a, o.b) for o in overlaps([a, b])}
    assert ((0, 1), (1, 0)) in found
    assert ((0, 0), (1, 0)) not in found  # the whole is not the part


def test_a_township_water_form_in_ten_thousands_pairs_with_village_population() -> None:
    a = [_col(0, "农村户籍人口", "万人"), _col(1, "集中供水受益人口", "万人")]
    b = [_col(0, "总人口", "人"), _col(1, "常住人口", "人")]
    found = {(o.a, o.b): o.unit_factor for o in overlaps([a, b])}
    assert found == {((0, 0), (1, 0)): 10000}


def test_a_village_residents_committee_column_is_a_key() -> None:
    assert fields.role_of(["村（居）委会"], 1) == "key"


def test_nouns_that_count_people_measure_in_people() -> None:
    assert fields.measure_of("脱贫劳动力", None) == "person"
    assert fields.measure_of("生态护林员", None) == "person"
    assert fields.measure_of("动员会次数", None) == ""  # 员 inside a word says nothing


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("60-79岁老年人", "60至79岁老年人"),  # an age bracket however its numbers are joined
        ("60～79岁老年人", "60到79岁老年人"),
        ("男性劳动力", "劳动力男"),  # a 男/女 split, prefixed or under a two-level header
        ("全村户数", "总户数"),  # a village form's bare 户数 / 人口 are its totals
        ("人口", "户籍人口"),
        ("特困供养人员", "特困人员"),
    ],
)
def test_age_brackets_sex_splits_and_bare_totals(a: str, b: str) -> None:
    assert fields.canonical(a) == fields.canonical(b)


def test_different_age_brackets_and_sexes_stay_apart() -> None:
    assert fields.canonical("60-79岁老年人") != fields.canonical("80岁以上老年人")
    assert fields.canonical("劳动力男") != fields.canonical("女性劳动力")
    assert fields.canonical("户数") != fields.canonical("人口")


@pytest.mark.parametrize(
    ("headers", "role"),
    [
        (["派出所"], "key"),  # an organisation stands for the place it serves
        (["乡镇卫生院"], "key"),
        (["村卫生室（村委会）"], "key"),
        (["乡镇团委"], "key"),
        (["村团支部"], "key"),
        (["村（社区）名称"], "key"),
        (["户籍所在村"], "key"),
        (["征收人员"], "signature"),  # who answers for the row, not a datum
        (["民警"], "signature"),
        (["工作人员（人）"], "data"),  # counted with a unit: a datum
        (["外出务工人员"], "data"),
        (["卫生院（个）"], "data"),
    ],
)
def test_organisations_are_keys_and_people_in_charge_sign(headers: list[str], role: str) -> None:
    assert fields.role_of(headers, 1) == role


def test_a_top_header_naming_the_population_leaves_the_village_totals_below() -> None:
    assert fields.datum_of(["汇总农户", "户数（户）"]).name == "户数"
    assert fields.canonical(fields.datum_of(["汇总农户", "人口（人）"]).name) == fields.canonical("户籍人口")
    assert fields.canonical(fields.datum_of(["全村", "劳动力（人）"]).name) == fields.canonical("农村劳动力")
    assert fields.datum_of(["农村低保", "户数（户）"]).name == "农村低保户数"  # a programme still names the datum


def test_a_top_header_naming_a_category_or_a_structure_leaves_complete_names_alone() -> None:
    assert fields.datum_of(["新型农业经营主体（个）", "家庭农场"]) == fields.Datum("家庭农场", "个", "")
    assert fields.datum_of(["人口年龄结构（人）", "60岁及以上"]).name == "60岁及以上"
    assert fields.datum_of(["特困人员", "集中供养"]).name == "特困人员集中供养"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("土地经营权流转总面积", "土地流转面积"),  # 经营权 / 经营 / 总 say nothing
        ("家庭承包经营耕地面积", "家庭承包耕地"),
        ("流转出承包耕地的农户数", "土地流转涉及农户"),
        ("村集体经济组织总收入", "村集体经济收入"),
        ("农民专业合作社", "农民合作社"),
        ("村域内企业", "企业"),
        ("城乡居民医保参保人数", "城乡居民医保已参保"),  # 已 and a bare action counting people
        ("城乡居民医保已缴费", "城乡居民基本医疗保险缴费人数"),
        ("本年出生人口", "活产数"),
        ("享受护理补贴人数", "重度残疾人护理补贴人数"),  # only 重度 disabled people get 护理补贴
        ("60周岁以上", "60岁及以上"),
    ],
)
def test_paraphrases_of_one_datum(a: str, b: str) -> None:
    assert fields.canonical(a) == fields.canonical(b)


def test_paraphrase_rules_keep_different_data_apart() -> None:
    assert fields.canonical("应参保人数") != fields.canonical("已参保人数")
    assert fields.canonical("签约人数") != fields.canonical("重点人群签约人数")
    assert fields.canonical("护理补贴人数") != fields.canonical("生活补贴人数")
    assert fields.canonical("土地流转涉及农户") != fields.canonical("带动农户")
    assert fields.canonical("企业") != fields.canonical("个体工商户")


def test_an_age_bracket_part_and_a_named_part_pair_on_their_own() -> None:
    a = [_col(0, "60岁以上", "人"), _col(1, "80岁以上", "人", part_of="60岁以上")]
    b = [_col(0, "60周岁以上老年人", "人"), _col(1, "80周岁以上", "人")]
    found = {(o.a, o.b) for o in overlaps([a, b])}
    assert found == {((0, 0), (1, 0)), ((0, 1), (1, 1))}
    c = [_col(0, "劳动力", "人"), _col(1, "外出务工劳动力", "人", part_of="劳动力")]
    d = [_col(0, "外出务工人员", "人")]
    assert {(o.a, o.b) for o in overlaps([c, d])} == {((0, 1), (1, 0))}


def test_counted_units_and_balances() -> None:
    assert fields.split_unit("法治宣传活动（场次）") == ("法治宣传活动", "场次")
    assert fields.split_unit("免疫规划疫苗接种（剂次）") == ("免疫规划疫苗接种", "剂次")
    assert fields.measure_of("贷款余额", None) == "money"


def test_more_counted_units_and_group_keys() -> None:
    assert fields.split_unit("机井（眼）") == ("机井", "眼")
    assert fields.split_unit("培训（期）") == ("培训", "期")
    assert fields.split_unit("入户走访（户次）") == ("入户走访", "户次")
    assert fields.unit_factor("户次", "人次") is None  # household visits are not person visits
    assert fields.infer_type("培训", "期", []) == "integer"
    assert fields.role_of(["村小组"], 2) == "key"


def test_a_population_top_header_keeps_its_name_on_other_measures() -> None:
    assert fields.datum_of(["农户", "收入（万元）"]).name == "农户收入"  # not the village's bare 收入


@pytest.mark.parametrize(
    "header",
    [
        "分管领导",
        "驻村队长",
        "村委会主任",
        "村民小组长",
        "专武干部",
        "服务站站长",
        "村（组）负责人",
        "排查人",
        "乡镇党委书记（签字）",
        "村医签字",
    ],
)
def test_a_post_or_person_in_charge_without_a_unit_is_a_signature(header: str) -> None:
    assert fields.role_of([header], 9) == "signature"


@pytest.mark.parametrize("header", ["选派驻村第一书记（人）", "村“两委”干部人数", "驻村工作队员（人）"])
def test_a_post_counted_in_people_stays_data(header: str) -> None:
    assert fields.role_of([header], 3) == "data"


@pytest.mark.parametrize(
    "header", ["建制村", "乡镇武装部", "村级服务站名称", "村党组织名称", "村（社区）服务站", "烟站"]
)
def test_a_place_or_organisation_without_a_unit_is_a_key(header: str) -> None:
    assert fields.role_of([header], 1) == "key"


def test_a_rate_per_day_is_one_unit_and_count_units_are_read() -> None:
    assert fields.split_unit("设计处理能力（吨/日）") == ("设计处理能力", "吨/日")
    assert fields.UNITS["吨/日"][1] / fields.UNITS["公斤/日"][1] == 1000
    assert fields.UNITS["吨/日"][0] == fields.UNITS["公斤/日"][0] != fields.UNITS["日"][0]
    assert [fields.split_unit(h)[1] for h in ("遗体火化（具）", "生态安葬（例）", "储备帐篷（顶）")] == [
        "具",
        "例",
        "顶",
    ]


def test_disputes_and_cases_are_counts_so_a_table_unit_of_jian_reaches_them() -> None:
    assert fields.measure_of("排查纠纷总数", None) == "count"
    assert fields.measure_of("婚姻家庭纠纷件数", None) == "count"
    assert fields.measure_of("调解成功人数", None) == "person"


def test_an_age_bracket_beside_a_group_is_not_the_elderly_at_large() -> None:
    assert fields.topics_agree(fields.canonical("60岁以上党员"), fields.canonical("60岁以上")) is False
    assert fields.topics_agree(fields.canonical("60周岁及以上户籍人口"), fields.canonical("60岁以上户籍老年人"))


def test_an_age_bracket_under_a_group_stays_a_part_of_the_group() -> None:
    veterans = [_col(0, "退役军人", "人"), _col(1, "60岁以上", "人", part_of="退役军人")]
    village = [_col(0, "60岁以上户籍老年人", "人")]
    assert overlaps([veterans, village]) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("使用卫生厕所农户", "卫生户厕"),
        ("公共厕所", "村内公厕"),
        ("村庄保洁员", "保洁员"),
        ("选派驻村第一书记", "第一书记"),
        ("种烟农户", "种烟户数"),
        ("群测群防监测员", "群测群防员"),
    ],
)
def test_sanitation_and_organisation_paraphrases_share_a_canonical_name(a: str, b: str) -> None:
    assert fields.canonical(a) == fields.canonical(b)


def test_a_daily_amount_in_a_mass_unit_is_a_rate_per_day() -> None:
    assert fields.datum_of(["日均清运量（公斤）"]).unit == "公斤/日"
    assert fields.datum_of(["日照时数（小时）"]).unit == "小时"  # no 小时/日 rate: the unit stays
    assert fields.unit_factor("吨/日", "公斤/日") == 1000


def test_a_bare_column_takes_its_topic_from_its_form_title() -> None:
    tobacco = [_col(0, "收购量", "公斤"), _col(1, "种烟户数", "户")]
    economy = [_col(0, "烤烟收购量", "吨"), _col(1, "茶叶收购量", "吨"), _col(2, "粮食产量", "吨")]
    titles = ["烤烟种植收购情况统计表", "农村经济主要指标年报表"]
    found = {(o.a, o.b): o.unit_factor for o in overlaps([tobacco, economy], titles=titles)}
    assert found == {((0, 0), (1, 0)): 0.001}  # 茶叶收购量: 茶叶 is not the form's topic
    assert overlaps([tobacco, economy]) == []  # without titles a bare 收购量 stays alone
    counted = [_col(0, "收购数量", "公斤")]  # X数量 and X量 both measure X
    assert {(o.a, o.b) for o in overlaps([counted, economy], titles=titles)} == {((0, 0), (1, 0))}
    assert fields.topic_of("烤烟收购量") == "烤烟收购" and fields.topic_of("产量") == "产量"
    fire = [_col(0, "站内队员", "人")]
    rescue = [_col(0, "微型消防站队员", "人"), _col(1, "民兵应急分队", "人")]
    assert {(o.a, o.b) for o in overlaps([fire, rescue], titles=["村级微型消防站建设情况表", "应急救援力量"])} == {
        ((0, 0), (1, 0))
    }
    houses = [_col(0, "补助资金", "元")]
    village = [_col(0, "危房改造补助", "万元"), _col(1, "产业帮扶补助", "万元")]
    found = {(o.a, o.b): o.unit_factor for o in overlaps([houses, village], titles=["农村危房改造进度表", "衔接推进"])}
    assert found == {((0, 0), (1, 0)): 0.0001}


def test_a_title_gives_a_topic_only_to_bare_names_in_the_right_measure() -> None:
    assert compare.bare_topic("收购量") == "收购" and compare.bare_topic("站内队员") == "队员"
    assert compare.bare_topic("烤烟收购量") == ""  # a specific name keeps its own topic
    assert compare.bare_topic(fields.canonical("实际移栽面积")) == "种植"  # 移栽 is how tobacco is planted
    planted = [_col(0, "实际移栽面积", "亩"), _col(1, "合同种植面积", "亩")]
    economy = [_col(0, "烤烟种植面积", "公顷"), _col(1, "烤烟合同种植面积", "公顷")]
    found = {(o.a, o.b) for o in overlaps([planted, economy], titles=["烤烟种植收购情况统计表", "农村经济主要指标"])}
    assert ((0, 0), (1, 0)) in found and ((0, 0), (1, 1)) not in found
    assert compare.bare_topic("人") == ""  # a measure word alone: nothing to join
    assert not compare.title_carries("农村经济主要指标", "农村", head=True)  # a place word is no topic
    people = [_col(0, "受益人数", "人")]
    households = [_col(0, "危房改造受益户", "户")]
    assert overlaps([people, households], titles=["危房改造", "危房改造"]) == []  # 人 ≠ 户


def test_an_action_column_takes_its_object_from_the_title() -> None:
    disputes = [_col(0, "调解成功", "件"), _col(1, "婚姻家庭纠纷调解成功", "件")]
    grid = [_col(0, "本月化解矛盾纠纷", "件"), _col(1, "本月排查矛盾纠纷", "件")]
    found = {(o.a, o.b) for o in overlaps([disputes, grid], titles=["矛盾纠纷排查调处情况月报表", "网格化管理"])}
    assert found == {((0, 0), (1, 0))}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("隐患点数量", "隐患点个数"),
        ("隐患点个数", "隐患点"),
        ("宅基地宗数", "宅基地"),  # counted in 宗: plots, not an area
        ("微型消防站站数", "微型消防站"),
        ("公共厕所座数", "公厕"),
        ("电商服务站点总数", "电商站点"),
    ],
)
def test_count_words_of_a_count_say_nothing(a: str, b: str) -> None:
    assert fields.canonical(a, "count") == fields.canonical(b, "count")


def test_count_words_only_go_for_counts() -> None:
    assert fields.canonical("宅基地", "count") != fields.canonical("宅基地", "area")  # 宅基地（亩） is 宅基地面积
    assert fields.canonical("宅基地", "area") == fields.canonical("宅基地面积")
    assert fields.canonical("网格员人数", "person") == fields.canonical("网格员")
    plots = [_col(0, "宅基地", "宗"), _col(1, "宅基地总面积", "平方米")]
    survey = [_col(0, "宅基地宗数", "宗"), _col(1, "宅基地面积", "亩")]
    assert {(o.a, o.b) for o in overlaps([plots, survey])} == {((0, 0), (1, 0)), ((0, 1), (1, 1))}


def test_a_rate_per_day_drops_its_day_words_and_brackets_explain() -> None:
    assert fields.canonical("生活垃圾日收运处理量", "mass_per_day") == fields.canonical(
        "生活垃圾日均清运量", "mass_per_day"
    )
    assert fields.canonical("应急广播（大喇叭）") == fields.canonical("应急广播")
    assert fields.canonical("垃圾收集池（房、箱）") == fields.canonical("垃圾收集点")
    assert fields.canonical("人数（60岁以上）") != fields.canonical("人数")  # a number in brackets is no explanation


def test_a_threat_qualified_by_the_other_forms_topic() -> None:
    flood = [
        _col(0, "地质灾害隐患点威胁人数", "人"),
        _col(1, "地质灾害隐患点威胁户数", "户"),
        _col(2, "山洪灾害威胁人数", "人"),
    ]
    hazard = [_col(0, "受威胁人口", "人"), _col(1, "受威胁户", "户")]
    found = {(o.a, o.b) for o in overlaps([flood, hazard], titles=["汛期风险隐患排查", "地质灾害群测群防花名册"])}
    assert found == {((0, 0), (1, 0)), ((0, 1), (1, 1))}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("年满65周岁老年人", "65岁及以上常住老年人"),
        ("网络零售额", "全村网络销售额"),
        ("农家书屋藏书", "农家书屋图书"),
        ("快递物流服务点", "寄递物流网点"),
        ("村级电商服务站点", "电商站点"),
        ("村“两委”成员", "村“两委”干部人数"),
        ("撂荒耕地面积", "撂荒地"),
        ("种烟面积", "烤烟种植面积"),
        ("本月排查矛盾纠纷", "排查纠纷"),
        ("体育健身器材", "健身器材"),
    ],
)
def test_general_synonyms_of_government_forms(a: str, b: str) -> None:
    assert fields.canonical(a) == fields.canonical(b)


def test_general_synonyms_keep_near_misses_apart() -> None:
    apart = [
        ("电商服务站点", "快递物流服务点"),
        ("网络零售额", "农产品网络零售额"),
        ("健身路径", "健身器材"),
        ("排查矛盾纠纷", "化解矛盾纠纷"),
        ("撂荒耕地面积", "已复耕复种"),
        ("文化室面积", "文化广场面积"),
        ("65岁以上常住老年人", "60岁以上常住老年人"),
    ]
    for a, b in apart:
        assert fields.canonical(a) != fields.canonical(b), (a, b)
    assert fields.datum_of(["健身设施", "健身器材（件）"]).name == "健身器材"  # 设施 over its types is a section


def test_only_a_name_no_other_form_prints_alone_takes_the_title_lead_topic() -> None:
    # 宅基地 stands alone on another form: on a 闲置农房和宅基地 form it is every plot, not the 闲置 ones.
    plots = [_col(0, "宅基地", "宗")]
    idle = [_col(0, "闲置宅基地", "宗")]
    survey = [_col(0, "宅基地宗数", "宗")]
    titles = ["闲置农房和宅基地盘活利用情况", "闲置资源清查", "宅基地调查"]
    assert {(o.a, o.b) for o in overlaps([plots, idle, survey], titles=titles)} == {((0, 0), (2, 0))}
    # The topic must be the one the title opens with: 重点人群 further on qualifies another part.
    signed = [_col(0, "签约人数", "人")]
    groups = [_col(0, "重点人群签约人数", "人")]
    assert overlaps([signed, groups], titles=["家庭医生签约服务和重点人群健康管理", "健康"]) == []
    assert compare.title_carries("2027年度农村烤烟种植收购情况", "烤烟", head=True)
    assert compare.title_carries(fields.canonical("禄劝彝族苗族自治县2027年烤烟种植收购情况统计表"), "烤烟", head=True)
    assert compare.title_carries(fields.canonical("某某镇农村危房改造进度表"), "危房改造", head=True)
    assert compare.title_carries(fields.canonical("城乡居民医保参保情况"), "医保", head=True)
    assert compare.title_carries(fields.canonical("衔接推进乡村振兴项目情况"), "衔接", head=True)
    assert not compare.title_carries("家签服务和重点人群健康管理", "重点人群", head=True)
    # A negation is never a topic: 医保未缴费 is not the 缴费 of a 医保 form.
    paid = [_col(0, "缴费人数", "人")]
    unpaid = [_col(0, "医保未缴费人数", "人")]
    assert overlaps([paid, unpaid], titles=["医保参保缴费情况", "征缴进度"]) == []
    assert not compare.title_carries("医保参保缴费情况", "医保未", head=True)
    assert not compare.title_carries("医保参保缴费情况", "医保应", head=True)  # 应参保 is due, not done


def test_an_object_and_its_action_either_way_round() -> None:
    assert fields.topics_agree(fields.canonical("矛盾纠纷排查"), fields.canonical("本月排查矛盾纠纷"))
    assert fields.topics_agree("纠纷化解", "化解纠纷")
    assert not fields.topics_agree("排查纠纷", "化解纠纷")
    assert not fields.topics_agree("户籍人", "人户籍")  # one character is no word
    grid = [_col(0, "本月排查矛盾纠纷", "件"), _col(1, "本月化解矛盾纠纷", "件")]
    mediation = [_col(0, "矛盾纠纷排查", "件"), _col(1, "矛盾纠纷化解", "件")]
    assert {(o.a, o.b) for o in overlaps([grid, mediation])} == {((0, 0), (1, 0)), ((0, 1), (1, 1))}


@pytest.mark.parametrize(
    ("header", "role"),
    [("自然村（个）", "data"), ("村民小组（个）", "data"), ("自然村", "key"), ("村民小组", "key")],
)
def test_a_place_counted_in_a_unit_is_data(header: str, role: str) -> None:
    assert fields.role_of([header], 2) == role


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("投保农户", "参保农户"),
        ("承保面积", "参保面积"),
        ("已决赔款", "理赔金额"),
        ("保费合计", "保费收入"),
        ("村级债务", "负债"),
        ("农户总数", "总户数"),
        ("茶园面积", "茶叶种植面积"),
        ("通宽带互联网的自然村", "通宽带自然村"),
    ],
)
def test_general_synonyms_of_insurance_debt_and_households(a: str, b: str) -> None:
    assert compare._core(fields.canonical(a)) == compare._core(fields.canonical(b))


def test_a_sows_stock_is_no_pig_stock() -> None:
    assert fields.canonical("能繁母猪存栏") != fields.canonical("生猪存栏")


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("村级协保员", "signature"),
        ("村报账员", "signature"),
        ("村妇联主席", "signature"),
        ("核损人员", "signature"),
        ("村级田长（签字）", "signature"),
        ("村委会（盖章）", "signature"),
        ("保洁员（人）", "data"),  # a number of cleaners
        ("供电所", "key"),
        ("基层供销社", "key"),
        ("村级综合服务社", "key"),
        ("供销社（个）", "data"),
    ],
)
def test_posts_sign_and_organisations_serving_a_place_are_keys(header: str, role: str) -> None:
    assert fields.role_of([header], 3) == role


def test_kilovolt_amperes_and_books_are_units() -> None:
    assert fields.split_unit("配变容量（千伏安）") == ("配变容量", "千伏安")
    assert fields.unit_factor("万千伏安", "千伏安") == 10000
    assert fields.unit_factor("千伏安", "千瓦") is None  # apparent power is not real power
    assert fields.split_unit("发放林权证（本）") == ("发放林权证", "本")


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("灾害信息员", "signature"),
        ("社会救助协理员", "signature"),
        ("农机管理员", "signature"),
        ("烟技员", "signature"),
        ("文化专管员", "signature"),
        ("户籍民警", "signature"),
        ("计生专干", "signature"),
        ("护林员（人）", "data"),  # a number of rangers
        ("网格员人数", "data"),
        ("生态护林员", "data"),  # a post held by many is counted
        ("作业点所在村", "key"),
        ("回收网点所在村", "key"),
    ],
)
def test_one_person_posts_sign_and_a_place_of_is_a_key(header: str, role: str) -> None:
    assert fields.role_of([header], 4) == role


def test_count_and_measure_units() -> None:
    assert fields.unit_factor("担", "公斤") == 50
    assert fields.unit_factor("万件", "件") == 10000
    assert fields.unit_factor("万千瓦", "千瓦") == 10000
    assert fields.split_unit("消耗火箭弹（枚）") == ("消耗火箭弹", "枚")
    assert fields.split_unit("代收代缴业务（笔）") == ("代收代缴业务", "笔")
    assert fields.split_unit("蓄水量（m³）") == ("蓄水量", "立方米")
    assert fields.unit_row(["亩", "吨", "万千瓦", "百担"])  # one unknown unit beside known ones
    assert not fields.unit_row(["松林村", "120", "吨"])
    assert fields.measure_of("农村低保保障金", None) == "money"


def test_an_organisation_named_with_no_unit() -> None:
    assert fields.organisation_key(["烟叶站（点）"])
    assert fields.organisation_key(["乡镇工会"])
    assert not fields.organisation_key(["卫生室（个）"])
    assert not fields.organisation_key(["纳入医保定点（是/否）"])


@pytest.mark.parametrize(
    ("a", "b", "unit"),
    [
        ("村民小组", "村（居）民小组", "个"),
        ("茶叶产量", "干毛茶产量", "吨"),
        ("茶叶产量", "茶园茶叶产量", "吨"),
        ("核桃种植面积", "核桃年末面积", "亩"),
        ("损毁村组道路", "水毁村组道路", "公里"),
        ("损坏房屋", "因灾损坏农房", "间"),
        ("兑付金额生态效益补偿", "兑现生态效益补偿", "元"),
    ],
)
def test_fresh6_families_share_a_canonical_name(a: str, b: str, unit: str) -> None:
    assert compare.field_key(a, "", fields.measure_of(a, unit)) == compare.field_key(b, "", fields.measure_of(b, unit))


def test_heads_of_stock_and_birds_together_count_heads() -> None:
    assert fields.measure_of("死亡畜禽", "头只") == "head"
    assert fields.unit_factor("头只", "头") == 1.0
