"""Small makers that go through the services, as a village clerk or county staff would."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cunwu.signs import services
from cunwu.signs.demo import short_name

from .inventories import CASES, Case

JOURNEY = CASES[0]


def fill(text: str, region: Any) -> str:
    township = region.parent
    return text.format(v=short_name(region.name), county=township.parent.name, township=township.name)


def make_sign(actor: Any, region: Any, name: str, placement: str = "gate", **kw: Any) -> Any:
    return services.sign_add(actor=actor, region=region, name=fill(name, region), placement=placement, **kw)


def make_inventory(actor: Any, region: Any, case: Case = JOURNEY) -> list[Any]:
    return [make_sign(actor, region, name, placement) for name, placement in case.plates]


def open_campaign(actor: Any, county: Any, **kw: Any) -> Any:
    kw.setdefault("title", "2027年村级组织挂牌清理")
    kw.setdefault("deadline", timezone.localdate() + timedelta(days=30))
    return services.campaign_open(actor=actor, county=county, **kw)


def request_approved(
    clerk: Any, reviewer: Any, province_admin: Any, region: Any, name: str = "普洱茶产业协会", **kw: Any
) -> Any:
    req = services.request_file(
        actor=clerk,
        kind="sign",
        region=region,
        name=name,
        department="县农业农村局",
        basis="《云南省茶产业发展条例》第十二条",
        placement=kw.pop("placement", "interior"),
        style="40×60 厘米 铝塑板 白底红字",
        **kw,
    )
    services.request_review(actor=reviewer, request=req, action="forward", note="确有需要")
    return services.request_decide(
        actor=province_admin, request=req, action="approve", approval_reference="云委办复〔2027〕8号"
    )
