"""Demo certificates at the first demo village: one issued, one refused with a township case, one
refused with a commitment letter, one awaiting the principal's signature, one online request.

All names and ID numbers are invented for the demo (the ID numbers only have valid check digits).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cunwu.accounts.models import User
from cunwu.masking import id_check_digit
from cunwu.regions.models import Region

from .models import Application, Channel
from .services import application_decide, application_receive, certificate_issue

VILLAGE = "530124103200"


def _id(birth: str, seq: str) -> str:
    body = f"530124{birth}{seq}"
    return body + id_check_digit(body)


def seed(scale: str, stdout: Any) -> None:
    if scale != "demo":
        return
    village = Region.objects.filter(code=VILLAGE).first()
    clerk = User.objects.filter(username="village_clerk").first()
    head = User.objects.filter(username="village_head").first()
    if village is None or clerk is None or head is None or Application.objects.filter(region=village).exists():
        stdout.write("证明事项：演示数据已存在或缺少演示村、演示账号，跳过")
        return
    with transaction.atomic():
        residence = application_receive(
            actor=clerk,
            region=village,
            channel=Channel.DESK,
            applicant_name="李玉芬",
            applicant_id_number=_id("19850312", "042"),
            applicant_phone="13800000001",
            request_text="派出所让我开个居住证明，办居住证用",
            purpose="办理居住证",
            requesting_agency="富民县公安局罗免派出所",
            agency_basis="《居住证暂行条例》第九条",
        )
        application_decide(
            actor=clerk,
            application=residence,
            action="issue",
            materials_checked=["身份证明", "租赁合同或房屋权属材料"],
            verified_facts="李玉芬自2021年5月起租住本村第三村民小组，经入户走访和查看租赁合同核实属实。",
            validity_days=90,
        )
        certificate_issue(actor=head, application=residence)

        kinship = application_receive(
            actor=clerk,
            region=village,
            channel=Channel.DESK,
            applicant_name="王建国",
            applicant_id_number=_id("19700805", "011"),
            applicant_phone="13800000002",
            request_text="银行要我开亲属关系证明，证明我和我父亲的关系",
            purpose="办理存款继承手续",
            requesting_agency="某商业银行富民支行",
        )
        application_decide(actor=clerk, application=kinship, action="refuse")

        marriage = application_receive(
            actor=clerk,
            region=village,
            channel=Channel.DESK,
            applicant_name="赵小红",
            applicant_id_number=_id("19920120", "026"),
            request_text="单位要独生子女证明",
            purpose="申请独生子女父母奖励",
        )
        application_decide(actor=clerk, application=marriage, action="refuse")

        student = application_receive(
            actor=clerk,
            region=village,
            channel=Channel.DESK,
            applicant_name="杨正华",
            applicant_id_number=_id("20080611", "017"),
            request_text="学校要家庭经济困难证明，申请助学金",
            purpose="申请国家助学金",
            requesting_agency="富民县第一中学",
        )
        application_decide(
            actor=clerk,
            application=student,
            action="issue",
            materials_checked=["学生身份证明", "家庭成员身份证明", "相关佐证材料"],
            verified_facts="该生家庭共4人，父亲因病长期无劳动能力，经入户核实，家庭经济困难情况属实。",
        )

        application_receive(
            actor=None,
            region=village,
            channel=Channel.ONLINE,
            applicant_name="岩温",
            applicant_id_number=_id("19781130", "055"),
            applicant_phone="13800000003",
            request_text="证明我家房子后面那片核桃林是我家种的",
            purpose="申请林木采伐许可",
            requesting_agency="富民县林业和草原局",
        )
    stdout.write("证明事项：演示申请 5 件（已出具 1、不予出具 2、待签字 1、网上申请待审查 1）")
