"""The structural tier of the overlap finder: leftover columns that are each other's best match (no database)."""

from __future__ import annotations

import pytest

from cunwu.reporting import compare, fields
from cunwu.reporting.compare import overlaps
from cunwu.reporting.formfiles import Column


def _col(index: int, headers: list[str], unit: str | None, part_of: str = "") -> Column:
    name = "".join(fields.split_unit(h)[0] for h in headers)
    return Column(index, headers, name, unit, "integer", "data", part_of)


def _pairs(forms: list[list[Column]], titles: list[str] | None = None) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    return {(o.a, o.b) for o in overlaps(forms, titles=titles or [])}


def test_a_section_header_naming_a_group_says_nothing_new() -> None:
    registry = [_col(0, ["登记在册吸毒人员（人）"], "人"), _col(1, ["社区戒毒人员（人）"], "人")]
    safe = [_col(0, ["重点人群（人）", "吸毒人员"], "人"), _col(1, ["重点人群（人）", "刑满释放人员"], "人")]
    assert _pairs([registry, safe], ["禁毒工作情况表", "平安村创建情况表"]) == {((0, 0), (1, 0))}


def test_a_scheme_in_the_header_is_a_qualifier() -> None:
    medical = [_col(0, ["城乡居民医保", "应参保（人）"], "人"), _col(1, ["城乡居民医保", "已缴费（人）"], "人")]
    pension = [_col(0, ["应参保人数（人）"], "人"), _col(1, ["待遇领取人数（人）"], "人")]
    assert _pairs([medical, pension], ["城乡居民医保参保缴费情况", "城乡居民基本养老保险参保情况"]) == set()


def test_an_action_in_the_header_makes_a_part() -> None:
    village = [_col(0, ["脱贫人口（人）"], "人")]
    doctors = [_col(0, ["重点人群签约", "脱贫人口（人）"], "人"), _col(1, ["签约率（%）"], "%")]
    assert _pairs([village, doctors], ["衔接推进乡村振兴", "家庭医生签约服务"]) == set()


def test_a_bare_name_takes_its_topic_from_its_own_title_only() -> None:
    tourism = [_col(0, ["接待游客（人次）"], "人次")]
    model = [_col(0, ["乡村旅游", "接待游客（人次）"], "人次"), _col(1, ["示范村（个）"], "个")]
    assert _pairs([tourism, model], ["乡村旅游发展情况统计表", "乡村振兴示范村建设情况表"]) == {((0, 0), (1, 0))}
    # 资助 on a 资助参保 form is that form's own topic: it cannot explain its own name away.
    aided = [_col(0, ["资助参保人数（人）"], "人")]
    pension = [_col(0, ["实际参保人数（人）"], "人")]
    assert _pairs([aided, pension], ["医疗救助和资助参保情况表", "城乡居民基本养老保险情况表"]) == set()


def test_a_measure_and_topic_header_over_a_crop() -> None:
    model = [_col(0, ["特色产业种植面积（亩）", "核桃"], "亩"), _col(1, ["特色产业种植面积（亩）", "咖啡"], "亩")]
    farming = [_col(0, ["核桃种植面积（公顷）"], "公顷"), _col(1, ["核桃产量（吨）"], "吨")]
    found = {(o.a, o.b): o.unit_factor for o in overlaps([model, farming], titles=["示范村", "农业生产"])}
    assert found == {((0, 0), (1, 0)): pytest.approx(1 / 15)}


def test_only_mutual_best_matches_pair_one_to_one() -> None:
    a = [_col(0, ["流经河流（条）"], "条")]
    b = [_col(0, ["辖区河流（条）"], "条"), _col(1, ["辖区河流总数（条）"], "条")]
    assert _pairs([a, b], ["污染防治", "河长制"]) == set()  # two equal best matches: none is taken


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (("创业担保贷款（万元）", "万元"), ("妇女创业担保贷款（万元）", "万元")),  # a group
        (("排查隐患（处）", "处"), ("矛盾纠纷排查（处）", "处")),  # each side its own topic
        (("总户数（户）", "户"), ("总人口（人）", "人")),  # 户 ≠ 人
        (("应参保人数（人）", "人"), ("参保人数（人）", "人")),  # 应 against 已
        (("土地流转面积（亩）", "亩"), ("集体土地总面积（亩）", "亩")),  # 流转 and 集体 are no generic words
    ],
)
def test_qualifiers_and_measures_keep_names_apart(left: tuple[str, str], right: tuple[str, str]) -> None:
    assert _pairs([[_col(0, [left[0]], left[1])], [_col(0, [right[0]], right[1])]], ["甲表", "乙表"]) == set()


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("村集体资产总额（万元）", "资产总额（元）"),
        ("本年村务公开（次）", "公开村务（次）"),
        ("辖区河流（条）", "流经河流（条）"),
        ("本年诊疗（人次）", "总诊疗人次（万人次）"),
    ],
)
def test_generic_words_and_word_order_leave_one_datum(left: str, right: str) -> None:
    a, b = (_col(0, [h], fields.split_unit(h)[1]) for h in (left, right))
    assert _pairs([[a], [b]], ["甲表", "乙表"]) == {((0, 0), (1, 0))}


def test_a_kind_under_its_whole_is_a_datum_of_its_own() -> None:
    survey = [_col(0, ["生猪存栏（头）"], "头"), _col(1, ["其中：能繁母猪（头）"], "头", part_of="生猪存栏")]
    insurance = [_col(0, ["能繁母猪存栏（头）"], "头")]
    assert _pairs([survey, insurance], ["畜牧业生产情况", "农业保险"]) == {((0, 1), (1, 0))}
    poor = [_col(0, ["低保户（户）"], "户"), _col(1, ["其中：脱贫户（户）"], "户", part_of="低保户")]
    assert compare._fields([poor])[1].parent  # 脱贫户 is no kind of 低保户: it stays a part


def test_the_residue_check() -> None:
    assert compare._residue_ok("吸毒", "重点人群吸毒", "", "重点人群 禁毒")
    assert not compare._residue_ok("吸毒", "重点人群吸毒", "重点人群", "")  # the word must explain its own side
    assert not compare._residue_ok("临时救助", "医疗救助", "临时", "医疗")  # a word replaced by another
    assert compare._residue_ok("能繁母猪存栏", "能繁母猪", "", "", stock=True)


def test_a_scheme_named_only_in_the_titles_keeps_two_columns_apart() -> None:
    pension = [_col(0, ["户籍人口（人）"], "人"), _col(1, ["已参保人数（人）"], "人")]
    medical = [_col(0, ["户籍人口（人）"], "人"), _col(1, ["已参保人数（人）"], "人")]
    titles = ["城乡居民基本养老保险参保缴费情况表", "城乡居民基本医疗保险参保情况表"]
    assert _pairs([pension, medical], titles) == {((0, 0), (1, 0))}  # the population is the village's
    machines = [_col(0, ["享受补贴农户（户）"], "户")]
    farmland = [_col(0, ["享受补贴农户（户）"], "户")]
    assert _pairs([machines, farmland], ["农机购置补贴情况表", "耕地地力保护补贴情况表"]) == set()
    serious = [_col(0, ["城乡居民医保参保人数（人）"], "人")]
    assert _pairs([medical, serious], [titles[1], "城乡居民大病保险和医疗救助情况表"]) == {((0, 1), (1, 0))}


def test_taken_into_a_scheme_on_another_form_is_a_part_of_its_population() -> None:
    aid = [_col(0, ["农村低保人数（人）"], "人"), _col(1, ["特困供养人数（人）"], "人")]
    poverty = [
        _col(0, ["脱贫人口（人）"], "人"),
        _col(1, ["纳入农村低保（人）"], "人"),
        _col(2, ["纳入特困供养（人）"], "人"),
    ]
    assert _pairs([aid, poverty], ["社会救助情况表", "脱贫人口和监测对象情况表"]) == set()
    medical = [_col(0, ["农村低保对象（人）"], "人")]
    assert _pairs([medical, poverty], ["医疗救助资助参保情况表", "脱贫人口和监测对象情况表"]) == set()


def test_registered_things_are_not_the_things() -> None:
    farm = [_col(0, ["拖拉机（台）"], "台")]
    police = [_col(0, ["登记拖拉机（台）"], "台")]
    assert _pairs([farm, police], ["农业机械化情况表", "农村道路交通安全情况表"]) == set()
    # Before people, 登记 is the register: 登记吸毒人员 are the 吸毒人员.
    assert compare._core(compare.field_key("登记吸毒人员", "", "person")[0]) == compare._core("吸毒人")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (("村域面积（平方公里）", "平方公里"), ("行政区域面积（平方公里）", "平方公里")),
        (("村域面积（平方公里）", "平方公里"), ("村域国土面积（公顷）", "公顷")),
        (("农机总动力（千瓦）", "千瓦"), ("农业机械总动力（万千瓦）", "万千瓦")),
        (("农膜使用量（吨）", "吨"), ("农用塑料薄膜使用量（吨）", "吨")),
        (("60周岁以上老年人（人）", "人"), ("60周岁以上（人）", "人")),
        (("农户（户）", "户"), ("户籍户数（户）", "户")),
        (("征收金额（元）", "元"), ("个人缴费金额（万元）", "万元")),
        (("列入中国传统村落名录（个）", "个"), ("中国传统村落（个）", "个")),
    ],
)
def test_one_datum_under_two_names(left: tuple[str, str], right: tuple[str, str]) -> None:
    assert _pairs([[_col(0, [left[0]], left[1])], [_col(0, [right[0]], right[1])]]) == {((0, 0), (1, 0))}


def test_a_measure_over_types_names_each_types_measure() -> None:
    assert fields.datum_of(["特色产业种植面积（亩）", "蔬菜"]).name == "蔬菜种植面积"
    assert fields.datum_of(["农作物受灾面积（亩）", "干旱"]).name == "干旱受灾面积"
    assert fields.datum_of(["粮食", "播种面积"]).name == "粮食播种面积"
    industry = [_col(0, ["特色产业种植面积（亩）", "蔬菜"], "亩"), _col(1, ["特色产业种植面积（亩）", "水果"], "亩")]
    crops = [_col(0, ["蔬菜播种面积（公顷）"], "公顷"), _col(1, ["果园面积（公顷）"], "公顷")]
    industry = [
        Column(c.index, c.headers, fields.datum_of(c.headers).name, c.unit, "decimal", "data") for c in industry
    ]
    assert _pairs([industry, crops]) == {((0, 0), (1, 0)), ((0, 1), (1, 1))}


def test_a_sector_qualifier_makes_a_part_of_the_whole_loss() -> None:
    flood = [_col(0, ["直接经济损失（万元）"], "万元")]
    farm = [_col(0, ["农业直接经济损失（万元）"], "万元")]
    other = [_col(0, ["直接经济损失（万元）"], "万元")]
    assert _pairs([flood, farm, other], ["汛期自然灾害损失情况", "农业灾情统计表", "地质灾害损失表"]) == {
        ((0, 0), (2, 0))
    }


def test_an_area_unit_says_the_measure_word() -> None:
    assert compare.field_key("绝收", "", "area") == compare.field_key("绝收面积", "", "area")
    assert compare.field_key("耕地面积", "", "area") != compare.field_key("林地面积", "", "area")
    flood = [_col(0, ["绝收（亩）"], "亩")]
    farm = [_col(0, ["绝收面积（公顷）"], "公顷")]
    assert _pairs([flood, farm], ["汛期自然灾害损失情况", "农业灾情统计表"]) == {((0, 0), (1, 0))}


def test_a_group_under_the_population_is_the_groups_people() -> None:
    register = [_col(0, ["年末户籍人口（人）"], "人"), _col(1, ["少数民族（人）"], "人", part_of="年末户籍人口")]
    ethnic = [_col(0, ["户籍人口数（人）"], "人"), _col(1, ["少数民族人口（人）"], "人")]
    assert _pairs([register, ethnic], ["年末户籍人口统计表", "民族团结进步示范村创建情况表"]) == {
        ((0, 0), (1, 0)),
        ((0, 1), (1, 1)),
    }
    labour = [_col(0, ["劳动力（人）"], "人"), _col(1, ["女性（人）"], "人", part_of="劳动力")]
    women = [_col(0, ["女性（人）"], "人")]
    assert _pairs([labour, women], ["劳动力情况表", "妇女工作情况表"]) == set()
