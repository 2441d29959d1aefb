"""Small `make_*` helpers for certificate tests; they go through the services like the desk does."""

from __future__ import annotations

import io
from typing import Any

from cunwu.masking import id_check_digit

from ..models import Application, Certificate, Channel
from ..services import Upload, application_decide, application_receive, certificate_issue


def id_number(birth: str = "19800101", seq: str = "123", area: str = "530124") -> str:
    """A citizen ID number with a correct GB 11643 check digit."""
    body = f"{area}{birth}{seq}"
    return body + id_check_digit(body)


def wrong_check_digit(value: str) -> str:
    last = value[-1]
    return value[:-1] + ("0" if last != "0" else "1")


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buf, "PNG")
    return buf.getvalue()


def make_application(actor: Any, region: Any, text: str = "派出所让我开居住证明", **kw: Any) -> Application:
    data: dict[str, Any] = {
        "channel": Channel.DESK,
        "applicant_name": "张三丰",
        "applicant_id_number": id_number(),
        "applicant_phone": "13800000000",
        "request_text": text,
        "purpose": "办理居住证",
        "requesting_agency": "富民县公安局罗免派出所",
        "agency_basis": "《居住证暂行条例》",
    }
    data.update(kw)
    return application_receive(actor=actor, region=region, **data)


RESIDENCE_MATERIALS = ["身份证明", "租赁合同或房屋权属材料"]


def make_pending(clerk: Any, region: Any, **kw: Any) -> Application:
    """A residence certificate (R05) decided by the clerk, awaiting the principal's signature."""
    app = make_application(clerk, region, **kw)
    return application_decide(
        actor=clerk,
        application=app,
        action="issue",
        materials_checked=RESIDENCE_MATERIALS,
        verified_facts="该同志自2020年3月起实际居住在本村第三村民小组12号。",
        validity_days=90,
    )


def make_certificate(clerk: Any, head: Any, region: Any, **kw: Any) -> Certificate:
    return certificate_issue(actor=head, application=make_pending(clerk, region, **kw))


def upload(name: str = "合同.pdf", data: bytes | None = None, label: str = "") -> Upload:
    return Upload(name=name, data=pdf_bytes() if data is None else data, label=label)
