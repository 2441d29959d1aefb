"""Learning from use: phrasings triage missed reach the province's queue and, once approved as an
alias by a second admin, are matched."""

from __future__ import annotations

from typing import Any

import pytest

from cunwu.accounts.tests.factories import make_user
from cunwu.audit.models import AuditEntry
from cunwu.catalogs import kinds, services
from cunwu.catalogs.models import MissedPhrasing, PhrasingStatus
from cunwu.catalogs.selectors import phrasing_list_for
from cunwu.catalogs.triage import RETAINED, UNLISTED, certificate_triage
from cunwu.errors import Conflict, Forbidden, Invalid
from cunwu.regions.selectors import province

pytestmark = pytest.mark.django_db

MISSED = "娃儿要去城里念书，学校要村里开个屋头穷的条子"


@pytest.fixture
def second_admin(db: Any) -> Any:
    return make_user("province_admin_b", "province_admin", "530000000000")


def test_unlisted_answers_are_kept_masked_and_counted(client: Any) -> None:
    text = f"我叫张三，电话13812345678，{MISSED}"
    assert certificate_triage(text, province()).outcome == UNLISTED
    for _ in range(2):
        client.post("/kaizhengming/", {"text": text})
    row = MissedPhrasing.objects.get()
    assert row.count == 2 and row.source == "triage"
    assert "13812345678" not in row.text and "张三" not in row.text and "138****5678" in row.text


def test_an_answer_in_the_catalog_is_not_kept(client: Any) -> None:
    client.post("/kaizhengming/", {"text": "开居住证明"})
    assert not MissedPhrasing.objects.exists()


def test_alias_takes_effect_only_when_a_second_admin_approves(province_admin: Any, second_admin: Any) -> None:
    row = services.phrasing_note(text=MISSED, source="triage")
    assert row is not None
    assert list(phrasing_list_for(province_admin)) == [row]
    services.phrasing_propose_alias(actor=province_admin, phrasing=row, kind=kinds.CERT_RETAINED, code="R07")
    row.refresh_from_db()
    assert row.status == PhrasingStatus.PROPOSED and row.revision is not None
    assert certificate_triage(MISSED, province()).outcome == UNLISTED  # a draft changes nothing
    with pytest.raises(Forbidden):
        services.phrasing_approve(actor=province_admin, phrasing=row)  # four eyes
    services.phrasing_approve(actor=second_admin, phrasing=row)
    row.refresh_from_db()
    assert row.status == PhrasingStatus.ADDED
    answer = certificate_triage(MISSED, province())
    assert answer.outcome == RETAINED and answer.item is not None and answer.item.code == "R07"
    assert AuditEntry.objects.filter(action="catalog.phrasing_approve").exists()


def test_mark_unlisted_and_who_may_act(province_admin: Any, county_admin: Any) -> None:
    row = services.phrasing_note(text="开个放牛证明", source="triage")
    assert row is not None
    with pytest.raises(Forbidden):
        services.phrasing_mark_unlisted(actor=county_admin, phrasing=row)
    services.phrasing_mark_unlisted(actor=province_admin, phrasing=row)
    with pytest.raises(Conflict):
        services.phrasing_propose_alias(actor=province_admin, phrasing=row, kind=kinds.CERT_RETAINED, code="R07")


def test_queue_page_lists_by_count(client: Any, province_admin: Any) -> None:
    services.phrasing_note(text=MISSED, source="triage")
    services.phrasing_note(text=MISSED, source="triage")
    client.force_login(province_admin)
    body = client.get("/catalogs/phrasings/").content.decode()
    assert "学校要村里开个屋头穷的条子" in body and "补充为别名" in body
    assert '<td data-label="出现次数">2</td>' in body


def test_lexicon_entry_takes_effect_when_a_second_admin_approves(province_admin: Any, second_admin: Any) -> None:
    text = "村里给开个屋头穷的证明"
    assert certificate_triage(text, province()).outcome == UNLISTED
    row = services.phrasing_note(text=text, source="triage")
    assert row is not None
    with pytest.raises(Invalid):
        services.lexicon_propose(actor=province_admin, phrasing=row, phrase="不在原文里", canonical="家庭经济困难")
    entry = services.lexicon_propose(actor=province_admin, phrasing=row, phrase="屋头穷", canonical="家庭经济困难")
    assert certificate_triage(text, province()).outcome == UNLISTED  # not yet approved
    with pytest.raises(Forbidden):
        services.lexicon_approve(actor=province_admin, entry=entry)
    services.lexicon_approve(actor=second_admin, entry=entry)
    row.refresh_from_db()
    assert row.status == PhrasingStatus.LEXICON
    answer = certificate_triage(text, province())
    assert answer.outcome == RETAINED and answer.item is not None and answer.item.code == "R07"


def test_queue_page_lexicon_action_and_errors_in_plain_chinese(client: Any, province_admin: Any) -> None:
    row = services.phrasing_note(text="村里给开个屋头穷的证明", source="triage")
    assert row is not None
    client.force_login(province_admin)
    url = f"/catalogs/phrasings/{row.pk}/"
    page = client.post(url, {"action": "lexicon", "phrase": "", "canonical": "家庭经济困难"}, follow=True)
    assert "请填写群众说法" in page.content.decode()
    client.post(url, {"action": "lexicon", "phrase": "屋头穷", "canonical": "家庭经济困难"})
    body = client.get("/catalogs/phrasings/").content.decode()
    assert "您提出的词条须由另一位管理员批准" in body
