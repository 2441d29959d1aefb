"""Pure decisions of the villagework app, each citing its clause. No database.

（五）the satisfaction survey: one-time codes, the answering window, marks → score, the minimum number of answers;
（六）posts; （七）facility gap and estates' premises; （八）office against residents' activity area.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# --- （五） villagers' satisfaction -----------------------------------------------------------------

# No 0/O, 1/I/L: the code is read off paper and typed on a phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
DEFAULT_MIN_ANSWERS = 30
MAX_CODES_PER_SHEET = 500

QUESTIONS: tuple[tuple[str, str], ...] = (
    ("q1", "村里为群众办事是否方便、及时？"),
    ("q2", "村干部是否能听取群众意见、解决实际问题？"),
    ("q3", "村党群服务中心是否开放、好用？"),
    ("q4", "总体上，您对村级组织今年的工作是否满意？"),
)
MARKS: tuple[tuple[int, str], ...] = ((5, "很满意"), (4, "满意"), (3, "一般"), (2, "不太满意"), (1, "不满意"))


@dataclass(frozen=True)
class Finding:
    rule: str
    clause: str
    message: str


def new_code() -> str:
    """A fresh one-time code, e.g. "K7P3QX9M" (printed as K7P3-QX9M)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a villager typed → the code: spaces, dashes and case do not matter."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def code_hash(code: str, key: bytes) -> str:
    """Keyed hash of a code (HMAC-SHA256): a copied database alone cannot try all 31⁸ codes."""
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def code_problem(text: str) -> str | None:
    code = normalise_code(text)
    if not code:
        return "请填写测评码（在村便民服务窗口或村民小组会上领取的纸条上）。"
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return f"测评码应为 {CODE_LENGTH} 位字母和数字，请核对纸条上的测评码。"
    return None


def window_problem(today: date, opens_on: date, closes_on: date) -> str | None:
    """Answers are taken only inside the survey's window （五）."""
    if today < opens_on:
        return f"本次测评从 {opens_on:%Y年%m月%d日} 开始，请到时再填写。"
    if today > closes_on:
        return f"本次测评已于 {closes_on:%Y年%m月%d日} 结束，不能再提交。"
    return None


def marks_problems(marks: dict[str, int | None]) -> dict[str, str]:
    allowed = {m for m, _ in MARKS}
    return {q: "请选择一项。" for q, _ in QUESTIONS if marks.get(q) not in allowed}


def answer_score(marks: dict[str, int]) -> Decimal:
    """Marks 1–5 → 0–100: 很满意 counts 100, 不满意 0, averaged over the questions."""
    values = [marks[q] for q, _ in QUESTIONS]
    return (Decimal(sum(values) - len(values)) * 100 / (4 * len(values))).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Satisfaction:
    answers: int
    min_answers: int
    score: Decimal | None  # None until enough answers came in
    average: Decimal | None  # shown as provisional below the minimum

    @property
    def counts(self) -> bool:
        return self.score is not None


def decide_satisfaction(scores: Sequence[Decimal], min_answers: int) -> Satisfaction:
    """A village's satisfaction counts in the evaluation only from `min_answers` answers on （五）."""
    n = len(scores)
    average = (sum(scores, Decimal(0)) / n).quantize(Decimal("0.01")) if n else None
    return Satisfaction(n, min_answers, average if n >= min_answers else None, average)


def min_answers_problem(value: int) -> str | None:
    if value < 1 or value > 10000:
        return "最少答卷数应在 1 到 10000 之间。"
    return None


# --- （六） posts ------------------------------------------------------------------------------------


def check_post(*, title: str, duty_codes: Sequence[str], mechanism_ids: Sequence[int]) -> dict[str, str]:
    """A post under 大岗位制 merges duties into it （六）: at least one catalog item or mechanism."""
    problems: dict[str, str] = {}
    if not title.strip():
        problems["title"] = "请填写岗位名称。"
    if not duty_codes and not mechanism_ids:
        problems["duty_codes"] = "“大岗位制”下每个岗位应整合具体职责：请至少填写一项清单事项或选择一个工作机制（六）。"
    return problems


def dedicated_post_finding(mechanism_name: str, posts: int) -> Finding:
    return Finding(
        "dedicated_post",
        "（六）",
        f"“{mechanism_name}”要求专人专岗 {posts} 个：未经省委和省政府同意不得要求专人专岗，应报县级作为例外研究，"
        "准入筛查对此类要求不予准入。",
    )


# --- （七） facility gap and estates -----------------------------------------------------------------

ESTATE_AREA_PER_100_HOUSEHOLDS = 30


def estate_area_due(households: int) -> Decimal:
    """Premises due free from a new or rebuilt estate: 30 m² per 100 households, as for the facility （七）."""
    return (Decimal(ESTATE_AREA_PER_100_HOUSEHOLDS) * households / 100).quantize(Decimal("0.01"))


def estate_problems(*, area_built: Decimal, area_handed_over: Decimal, handed_over_on: date | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if area_built < 0:
        problems["area_built"] = "面积不能为负数。"
    if area_handed_over < 0:
        problems["area_handed_over"] = "面积不能为负数。"
    elif area_handed_over > area_built:
        problems["area_handed_over"] = (
            f"已移交面积（{area_handed_over} 平方米）不能大于已建成用房面积（{area_built} 平方米），请核对。"
        )
    if area_handed_over > 0 and handed_over_on is None:
        problems["handed_over_on"] = "已移交用房的，请填写移交日期。"
    return problems


def estate_shortfall(area_due: Decimal, area_handed_over: Decimal) -> Decimal:
    """Area still owed by the estate (0 when handed over in full) — an alert for the county （七）."""
    return max(Decimal(0), area_due - area_handed_over)


@dataclass(frozen=True)
class GapClosing:
    gap: float  # m² missing against the area standard
    done: float  # m² added by completed projects
    underway: float  # m² of planned or allocated projects
    remaining: float

    @property
    def message(self) -> str:
        if self.gap <= 0:
            return "设施建筑面积已达到标准（七）。"
        if self.remaining <= 0:
            return f"缺口 {self.gap:g} 平方米，已完成和在建项目可以补齐（七）。"
        return f"缺口 {self.gap:g} 平方米，已完成 {self.done:g}、在建 {self.underway:g}，尚差 {self.remaining:g} 平方米未落实（七）。"


def gap_closing(required: float, built: float, done: float, underway: float) -> GapClosing:
    gap = max(0.0, required - built)
    remaining = max(0.0, gap - done - underway)
    return GapClosing(round(gap, 2), round(done, 2), round(underway, 2), round(remaining, 2))


# --- （八） how the facility is used -----------------------------------------------------------------


def activity_share(office: Decimal, residents: Decimal) -> float:
    """Residents' activity area as a share of office + activity area （八）, 0–1."""
    total = office + residents
    return float(residents / total) if total else 0.0


def share_trend(shares: Sequence[float]) -> Finding | None:
    """（八）asks to shrink offices and grow residents' space: a falling share is flagged."""
    if len(shares) < 2:
        return None
    if shares[-1] < shares[-2]:
        return Finding(
            "activity_share_falling",
            "（八）",
            "居民活动区域占比比上次下降，应压缩办公用房、增加居民活动区域面积（八）。",
        )
    return None


def presence_problems(since: date | None, until: date | None) -> dict[str, str]:
    if since is None:
        return {"since": "请填写起始日期。"}
    if until is not None and until < since:
        return {"until": "结束日期不能早于起始日期。"}
    return {}
