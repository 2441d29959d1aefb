"""Issue 16 in a real browser: a button is shown only when the action is allowed for this person on
this record — the village head's own seal request has no 批准, and the page says why （十四）."""

from __future__ import annotations

from typing import Any

import pytest

from .factories import make_request, make_seal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_village_head_sees_no_approve_button_on_their_own_request(page_for: Any) -> None:
    from cunwu.accounts.models import User
    from cunwu.regions.models import Region

    base = page_for.base_url
    head_user = User.objects.get(username="village_head")
    custodian = User.objects.get(username="seal_custodian")
    clerk = User.objects.get(username="village_clerk")
    seal = make_seal(Region.objects.get(code="530124103200"), custodian, [head_user])
    own = make_request(seal, head_user, matter="为本人出具居住证明")
    others = make_request(seal, clerk)

    head = page_for("village_head", phone=True)
    head.goto(f"{base}/seals/requests/{own.pk}/")
    head.get_by_text("您不能审批这份申请").wait_for()
    assert head.get_by_role("button", name="批准（主要负责人签字）").count() == 0
    assert head.get_by_role("button", name="不予批准").count() == 0
    assert "不得审批本人提出的用印申请（十四）" in head.locator("main").inner_text()

    head.goto(f"{base}/seals/requests/{others.pk}/")
    assert head.get_by_role("button", name="批准（主要负责人签字）").count() == 1
