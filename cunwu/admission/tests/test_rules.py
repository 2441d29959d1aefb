"""The screening rules read like the policy: who is asked to do what, in which role."""

from __future__ import annotations

from datetime import date

import pytest

from cunwu.admission import rules, screening
from cunwu.admission.rules import Match, ScreenInput, Violation, decide_outcome
from cunwu.admission.screening import find_violations


def found(content: str, title: str = "", **fields: object) -> set[str]:
    return {v.rule for v in find_violations(ScreenInput(title=title, content=content, **fields))}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text,expected",
    [
        # The examples.
        ("签订安全生产目标责任书", {"pledge", "responsible_body"}),
        ("要求各村签订2027年度安全生产目标责任书", {"pledge", "responsible_body"}),
        ("协助做好安全生产宣传", set()),
        ("由村委会负责拆除违法建筑", {"responsible_body"}),
        ("配合做好拆迁政策宣传", set()),
        # Pledges （二）
        ("各村与乡镇签订年度目标责任书", {"pledge"}),
        ("对未完成任务的村实行一票否决", {"pledge"}),
        ("不得要求村级组织签订各类责任书", set()),
        ("严禁对村级组织搞一票否决", set()),
        ("请各村组织农户签订野外用火安全承诺书", set()),
        ("群众办事可采用告知承诺书方式", set()),
        # Responsible body （二）
        ("村委会是辖区安全生产的责任主体", {"responsible_body"}),
        ("各村负责辖区内招商引资工作", {"responsible_body"}),
        ("村委会对违规养殖户处以罚款", {"responsible_body"}),
        ("由县住建局负责拆除，村委会协助做好群众工作", set()),
        ("各村发现违法建筑及时报告县自然资源局", set()),
        ("请各村配合执法部门开展执法宣传", set()),
        ("县应急局负责安全生产监管，各村协助宣传", set()),
        ("请各村拆除目录外的牌子", set()),
        # Evidence （五）
        ("请各村上传入户走访照片作为工作完成的证明", {"evidence_screenshot"}),
        ("请申请人提供身份证照片", set()),
        ("发现森林火情及时拍照上报", set()),
        ("不得以上传工作截图代替对实际工作的评价", set()),
        # Separate evaluation （五）
        ("县林草局对各村森林防火工作进行评比", {"separate_evaluation"}),
        ("纳入县委县政府对村级组织的统一考核", set()),
        ("各部门不再单独组织考核评比", set()),
        ("县委组织部组织参训人员结业考核", set()),
        # Dedicated posts （六）
        ("每个村须配备1名专职禁毒专干", {"dedicated_post"}),
        ("由现有村干部兼任协理员，不另设专岗", set()),
        ("县民政局安排专人指导各村", set()),
        # New mechanisms and signs （六）（九）
        ("在各村设立法律服务工作站并挂牌", {"new_mechanism"}),
        ("县民政局成立工作领导小组", set()),
        ("对重大隐患挂牌督办", set()),
        # Forms （四）
        ("请各村于4月5日前填报畜禽存栏统计表", {"adhoc_form"}),
        ("该报表已纳入县级年度填报计划，由乡镇按季度统一安排", set()),
        ("发生灾情的立即报告乡镇", set()),
        # Meetings （四）
        ("请各村党组织书记到县委党校参加培训会", {"meeting"}),
        ("请各村组织召开村民代表会议审议村规民约", set()),
        ("本次以文件部署，不召开会议", set()),
    ],
)
def test_wording(text: str, expected: set[str]) -> None:
    assert found(text) == expected


def test_every_violation_names_its_clause_and_effect() -> None:
    text = "签订责任书；村委会负责拆迁；上传截图作为考核依据；配备专职信息员；在各村设立工作站；每周报送统计表；请村干部参加会议"
    vs = find_violations(ScreenInput(title="综合", content=text))
    assert [v.rule for v in vs] == list(rules.RULE_IDS)
    for v in vs:
        spec = rules.RULES[v.rule]
        assert (v.clause, v.effect) == (spec.clause, spec.effect)
        assert v.message and v.evidence
    assert {v.rule: v.clause for v in vs}["new_mechanism"] == "（六）（九）"


def test_structured_fields() -> None:
    base = "请各村协助开展低保入户调查"
    assert found(base, pledge=True) == {"pledge"}
    # Only a pledge on the province's register exempts （二）; naming a high-level body does not.
    assert found(base, pledge=True, basis="国务院办公厅关于…的通知") == {"pledge"}
    assert found(base, pledge=True, approved_pledge=True) == set()
    assert found("签订安全生产责任书", basis="中共中央 国务院关于推进安全生产领域改革发展的意见") == {
        "pledge",
        "responsible_body",
    }
    assert found("未经省委省政府批准，各村签订责任书") == {"pledge"}
    assert found("请各村做好安全生产隐患信息报送", responsible_body="村委会") == {"responsible_body"}
    assert found("请各村做好安全生产隐患信息报送", responsible_body="县应急管理局（村委会协助）") == set()
    assert found(base, evidence="工作照片和视频") == {"evidence_screenshot"}
    assert found(base, evidence="实地抽查，辅以照片") == set()
    assert found(base, type="meeting") == {"meeting"}
    assert found(base, type="form") == {"adhoc_form"}
    assert found(base, type="mechanism") == {"new_mechanism"}
    assert found(base, type="evaluation") == {"separate_evaluation"}


def test_traditional_and_full_width_text() -> None:
    assert found("要求各村簽訂安全生產目標責任書") == {"pledge", "responsible_body"}


def test_retained_signs_are_not_new() -> None:
    inp = ScreenInput(title="", content="各村统一悬挂村便民服务站标识")
    assert {v.rule for v in find_violations(inp, ["便民服务站"])} == set()
    assert {v.rule for v in find_violations(inp)} == {"new_mechanism"}


def test_outcome() -> None:
    reject = Violation("pledge", "（二）", "reject", "")
    redirect = Violation("meeting", "（四）", "redirect", "")
    m = [Match("assist", "A01", "协助开展社会救助工作", 0.9)]
    assert decide_outcome([], m) == "in_catalog"
    assert decide_outcome([], []) == "needs_review"
    assert decide_outcome([redirect], m) == "needs_review"
    assert decide_outcome([redirect, reject], m) == "rejected"


def test_transitions_and_overdue() -> None:
    assert rules.can_transition("pending", "approved") and not rules.can_transition("approved", "rejected")
    assert rules.can_progress("assigned", "done") and not rules.can_progress("done", "in_progress")
    assert rules.is_overdue(date(2027, 1, 1), "assigned", date(2027, 1, 2))
    assert not rules.is_overdue(date(2027, 1, 1), "done", date(2027, 1, 2))


def test_evaluation_rules() -> None:
    assert rules.check_indicator_evidence(["ledger", "screenshot", "video"])
    assert rules.check_indicator_evidence([])
    assert rules.check_indicator_evidence(["site_visit", "ledger"]) is None
    assert rules.check_weights([60, 40]) is None and rules.check_weights([60, 30])
    assert rules.weighted_total({1: 90, 2: 80}, {1: 60, 2: 40}) == 86.0


def test_channel_counts_follow_merges() -> None:
    counts = rules.counts_before_after(
        [(1, {"a", "b"}, "keep", None), (2, {"a"}, "merge", 1), (3, {"a", "c"}, "close", None), (4, {"c"}, "", None)]
    )
    assert counts == {"a": (3, 1), "b": (1, 1), "c": (2, 1)}


def test_match_texts_strip_wrappers() -> None:
    assert screening.match_texts("关于协助开展低保入户调查的通知", "")[0] == "协助开展低保入户调查"


def test_workdays() -> None:
    from cunwu import workdays

    # 2026-10-01..07 is the National Day holiday; 2026-10-10 (Saturday) is a make-up working day.
    assert not workdays.is_workday(date(2026, 10, 5))
    assert workdays.is_workday(date(2026, 10, 10))
    assert workdays.working_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 2
    # A year the package does not know: Monday to Friday, and the note says so.
    assert workdays.is_workday(date(2099, 1, 1)) is True
    assert "暂按周一至周五" in workdays.calendar_note(date(2099, 1, 1))
    assert "暂按" not in workdays.calendar_note(date(2026, 5, 6))
    assert workdays.add_working_days(date(2099, 1, 2), 1) == date(2099, 1, 5)


def test_form_plan_is_a_fact_not_a_wording() -> None:
    """（四）: saying 已纳入县级统一整合 or 一表通 no longer switches the rule off; the plan does."""
    text = "本次报送已纳入县级统一整合，请各村按附表填报养殖户基本信息。"
    assert found(text) == {"adhoc_form"}
    assert found("根据“一表通”要求，各村每月5日前补充填报农房安全隐患排查表。") == {"adhoc_form"}
    assert found(text, in_form_plan=True) == set()


@pytest.mark.parametrize(
    "text,expected",
    [
        # Issue 12: the families of wording that make the village the responsible body （二）…
        ("由各村全面负责本辖区秸秆禁烧工作", {"responsible_body"}),
        ("今年村里防火出事情，就是村里自己兜底负责", {"responsible_body"}),
        ("汛期哪个村出了问题，就由哪个村兜底", {"responsible_body"}),
        ("各村要切实履行防溺水属地责任", {"responsible_body"}),
        ("村党组织书记是本村禁毒工作第一责任人", {"responsible_body"}),
        ("各村落实包保责任，确保重点人员不漏管", {"responsible_body"}),
        # … while assisting a named responsible department stays allowed,
        ("县教育体育局负总责，各村协助劝导群众远离危险水域", set()),
        ("秸秆禁烧由乡镇负责，村委会配合做好巡查和劝导", set()),
        ("民政部门做好兜底保障，各村协助摸排困难群众", set()),
        # and a personal role beside a pledge is what the pledge binds.
        ("村党组织书记为本村森林防灭火第一责任人，与乡镇签订目标责任状", {"pledge"}),
        # Forms asked for in any words （四）
        ("请各村将烤烟种植户名单及面积汇总成表，明天下班前报镇农业中心", {"adhoc_form"}),
        ("各村把养殖户的数据报上来，明天要", {"adhoc_form"}),
        ("各村把表填一下，今天下班前交到镇上", {"adhoc_form"}),
        # Meetings, colloquial or through a delegate （四）
        ("各村支书明天上午十点到镇上开个会", {"meeting"}),
        ("请各村派人参加周三下午在镇会议室召开的调度会", {"meeting"}),
        # After fresh4 (the tuner's own cases): ranking in plain words （五）,
        ("这个季度各村的垃圾清运镇上要排个名", {"separate_evaluation"}),
        ("森林防火检查排在最后两名的村全镇通报批评", {"separate_evaluation"}),
        # a person kept for one job, said plainly （六）,
        ("每个村要定一个专门管路灯的人，别的活不要派给他", {"dedicated_post"}),
        # a team set up （三）,
        ("各村组建巡防队，每晚巡逻", {"new_mechanism"}),
        # a notice's list of attendees, the meeting named elsewhere （四）,
        ("参会人员：各乡镇分管领导，各村党组织书记", {"meeting"}),
        # and a report on a fixed schedule even about fires, while an emergency report stays allowed （四）.
        ("请各村每天下午5点前报送当日火情", {"adhoc_form"}),
        ("各村发现火情立即报告镇森林防火办", set()),
    ],
)
def test_wording_families(text: str, expected: set[str]) -> None:
    assert found(text) == expected


def test_a_cited_document_number_is_for_the_registry_not_the_wording() -> None:
    text = "县委、县政府对各村开展年度综合考核，考核结果作为村干部报酬依据。"
    assert found(text) == set()  # the county's own evaluation, as the wording says （五）
    assert found(text, basis="富发〔2026〕1号") == {"separate_evaluation"}
    assert found(text, basis="富发〔2026〕1号", approved_evaluation=True) == set()


def test_registered_mechanism_and_evaluation() -> None:
    assert found("各村设立禁毒工作站并悬挂标牌。") == {"new_mechanism"}
    assert found("各村设立禁毒工作站并悬挂标牌。", approved_mechanism=True) == set()
    assert found("县禁毒办对各村禁毒工作进行年度考评排名。") == {"separate_evaluation"}
    assert found("县禁毒办对各村禁毒工作进行年度考评排名。", approved_evaluation=True) == set()


def test_document_numbers_are_read_in_any_bracket() -> None:
    assert screening.cited_documents("依据云发[2027]3号和滇政办发（2026）12号", "云发〔2027〕3号") == [
        "云发〔2027〕3号",
        "滇政办发〔2026〕12号",
    ]
    assert screening.normalise_document(" 雲發〔2027〕03號 ") == "云发〔2027〕3号"


def test_an_offlist_report_is_confirmed_or_dismissed_once() -> None:
    from cunwu.transitions import sources

    assert sources(rules.OFFLIST_TRANSITIONS, "confirmed") == ["open"]
    assert sources(rules.OFFLIST_TRANSITIONS, "dismissed") == ["open"]
    assert sources(rules.OFFLIST_TRANSITIONS, "open") == []
