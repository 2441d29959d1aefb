"""Tuning cases for issue 12, written by the tuner (not a labelled set): for each example catalog item,
several ways a villager might ask for it — plain words, kinship terms, Yunnan and Sichuan dialect,
homophone typos, traditional characters and full-width text. Each must come out as its item above
the triage threshold, read as `certificate_triage` reads it (example catalogs and the seed lexicon)."""

from __future__ import annotations

import pytest

from cunwu.catalogs.triage import TRIAGE_THRESHOLD
from cunwu.matching import Matcher
from cunwu.matching.lexicon import load_seed
from cunwu.matching.tests.examples import STRIP_NAMES, load_catalog

WORDINGS = {
    "R01": [
        "我是在职党员 单位叫我到居住地报到 要村里写个反馈",
        "我在乡卫生院上班 是党员 院里喊我们回住的地方报到 年底要村里填表现",
        "單位要在職黨員回社區報到 反饋表要村裡蓋章",
        "党员报道情况要村党支部签意见",
        "我们单位党委要一个我在村里报到参加活动的情况反馈",
    ],
    "R03": [
        "我们两口子想收养个娃娃 民政局喊村里出证明",
        "我和老公想领养一个孩子 要证明我们有抚养能力",
        "抱养孩子要村里开个证明",
        "收样证明在哪点开",
        "民政局要收养人的抚养教育能力证明",
    ],
    "R04": [
        "学校要寒假社会实践证明 村里盖个章",
        "娃娃暑假在村里做志愿服务 学校要个证明",
        "学校要社会时间证明",
        "學生假期活動證明要村委會蓋章",
        "大学要暑期实践报告上面村里盖章",
    ],
    "R06": [
        "办不动产证要宅基地权属来源证明",
        "全属来原证明咋个开",
        "国土所要证明我家那块地是咋来的",
        "土地權屬來源證明",
        "要开个权数来源证明",
    ],
    "F01": [
        "那边办事要证明我是她爹",
        "要证明他是我儿子",
        "开个证明我和我妈是母子关系",
        "要个亲属关系证明",
        "证明我们是一家人",
    ],
    "F03": [
        "户口本上的名字写错了要改 派出所要证明",
        "户口上出生日期比实际大了两岁 要改",
        "户口本上名字跟身份证上不一样 要去变更",
        "户口信息更正证明",
        "我户口上的民族登记错了 要改过来",
    ],
    "F05": [
        "公司要证明我没得案底",
        "开个无犯罪证明",
        "找工作要证明我莫得前科",
        "我没犯过事 要村里证明",
        "要开无犯罪记录证明",
    ],
    "F11": [
        "人死了 销户口要证明",
        "我爷爷去世了 要开死亡证明",
        "老人过世了 要注销户口",
        "開個死亡證明",
        "死往证明",
    ],
    "F17": [
        "开个我家有几套房子的证明 银行贷款要",
        "要证明我名下有房",
        "开个财产证明",
        "要证明我家有几处房子",
        "开收入证明",
    ],
    "F18": [
        "我爹死了 银行存款要取出来 公证处要证明我们是继承人",
        "要开继承权证明",
        "老人留下的房子要过户 要证明我们能继承",
        "继成权证明",
        "分家产要村里开个继承证明",
    ],
    "R05": [
        "孩子读书要居住证 派出所又要村里证明我们确实住在这里",
        "我租房子住在村里 要开个租住证明",
        "开个居住证明",
        "我在你们村住了五年了 要证明",
        "ｊｕｚｈｕ证明",
    ],
}
CASES = [(text, code) for code, texts in WORDINGS.items() for text in texts]


@pytest.fixture(scope="module")
def triage() -> Matcher:
    return Matcher(load_catalog("cert_retained", "cert_forbidden"), load_seed())


@pytest.mark.parametrize(("text", "code"), CASES)
def test_villager_wording_reaches_its_item(triage: Matcher, text: str, code: str) -> None:
    found = triage.match(text, strip_names=STRIP_NAMES, limit=1)
    assert found and found[0].score >= TRIAGE_THRESHOLD, (text, found)
    assert found[0].code == code, (text, found)
