"""PDFs checked with real readers: poppler's pdftotext/pdffonts/pdftoppm and zbar's zbarimg."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from cunwu.documents import Document, FontNotFound, render_pdf, render_table_pdf
from cunwu.documents import pdf as pdf_module

POPPLER = ("pdftotext", "pdffonts", "pdftoppm")
needs_poppler = pytest.mark.skipif(
    not all(shutil.which(t) for t in POPPLER),
    reason="poppler-utils (pdftotext, pdffonts, pdftoppm) not installed: apt-get install poppler-utils",
)
needs_zbar = pytest.mark.skipif(
    not shutil.which("zbarimg"), reason="zbar-tools (zbarimg) not installed: apt-get install zbar-tools"
)

# A verification URL of about 300 characters, like a signed token in a query string.
LONG_URL = (
    "https://cunwu.yn.gov.cn/verify/certificates/5301-2027-000123?token="
    + "eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0."
    + "Ab3_x9Zq-Lm7Kp2R" * 12
    + "&v=1"
)


def certificate(**overrides: object) -> Document:
    values: dict[str, object] = {
        "title": "居住证明",
        "serial": "滇5301-2027-000123",
        "paragraphs": [
            "兹证明张三（公民身份号码：530102199001011234）自2015年3月起在本村第三村民小组居住至今，情况属实。" * 2,
            "特此证明。",
        ],
        "fields": [("姓名", "张三"), ("住址", "某某县某某镇某某村第三村民小组12号")],
        "qr_url": LONG_URL,
        "qr_caption": "扫码核验真伪",
        "issuer": "某某县某某镇某某村民委员会",
        "date_text": "2027年3月1日",
        "seal_area": True,
        "footer": "本证明仅证明本村民委员会掌握的情况。伪造、变造证明的，依法承担法律责任。",
        "purpose_line": "仅用于办理子女入学手续",
        "validity_line": "自开具之日起三个月内有效",
    }
    values.update(overrides)
    return Document(**values)  # type: ignore[arg-type]


def run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, timeout=60).stdout


@pytest.fixture(scope="module")
def certificate_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "certificate.pdf"
    path.write_bytes(render_pdf(certificate()))
    return path


def test_certificate_is_one_a4_page_with_title_metadata(certificate_pdf: Path) -> None:
    reader = PdfReader(io.BytesIO(certificate_pdf.read_bytes()))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert reader.metadata is not None
    assert reader.metadata.title == "居住证明"


@needs_poppler
def test_chinese_text_comes_out_of_the_pdf(certificate_pdf: Path) -> None:
    text = run("pdftotext", certificate_pdf, "-").replace("\n", "")
    for expected in [
        "居住证明",
        "编号：滇5301-2027-000123",
        "自2015年3月起在本村第三村民小组",
        "仅用于办理子女入学手续",
        "某某县某某镇某某村民委员会",
        "2027年3月1日",
        "（盖章处）",
        "扫码核验真伪",
        "依法承担法律责任",
    ]:
        assert expected in text


@needs_poppler
def test_only_the_embedded_cjk_font_is_used(certificate_pdf: Path) -> None:
    lines = run("pdffonts", certificate_pdf).splitlines()[2:]
    assert lines, "no fonts listed"
    for line in lines:
        # Columns: name type encoding emb sub uni object-id; emb must be "yes" for every font.
        assert line.split()[-5] == "yes", line
    assert any("WenQuanYi" in line for line in lines)


@needs_poppler
@needs_zbar
def test_qr_of_a_300_character_url_decodes_byte_identical(certificate_pdf: Path, tmp_path: Path) -> None:
    assert len(LONG_URL) >= 290
    run("pdftoppm", "-r", "200", "-png", certificate_pdf, tmp_path / "page")
    (image,) = tmp_path.glob("page*.png")
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, timeout=60).stdout
    assert decoded.rstrip(b"\n") == LONG_URL.encode()


@needs_poppler
def test_long_chinese_paragraphs_wrap_and_punctuation_never_starts_a_line(
    tmp_path: Path,
) -> None:
    long_text = "村民委员会根据本人申请，经核实，出具本告知书；" * 30
    path = tmp_path / "notice.pdf"
    path.write_bytes(render_pdf(Document(title="不予出具证明告知书", paragraphs=[long_text])))
    lines = [ln.strip() for ln in run("pdftotext", path, "-").splitlines() if ln.strip()]
    body = [ln for ln in lines if ln[0] in "村民委员会根据本人申请经核实出具告知书，；"]
    assert len(body) > 10  # wrapped into many lines rather than running off the page
    assert not any(ln[0] in "，；。" for ln in body)
    assert "".join(body).count("出具本告知书") == 30


def test_markup_in_values_is_printed_not_interpreted() -> None:
    data = render_pdf(Document(title="<b>标题</b> & 测试", paragraphs=["a < b & c <br/>"]))
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "a < b & c <br/>" in text


def test_document_with_only_a_title_renders() -> None:
    assert render_pdf(Document(title="公示")).startswith(b"%PDF-")


@needs_poppler
def test_table_pdf_spans_pages_and_repeats_the_header(tmp_path: Path) -> None:
    rows = [[i, f"张{i}", "某某事项的办理情况说明" * (i % 3 + 1), "2027-03-01", None] for i in range(150)]
    path = tmp_path / "register.pdf"
    path.write_bytes(render_table_pdf("印章使用登记簿", ["序号", "经办人", "事由", "日期", "备注"], rows, "某某村"))
    reader = PdfReader(path)
    assert len(reader.pages) > 2
    for number in range(1, len(reader.pages) + 1):
        page_text = run("pdftotext", "-f", str(number), "-l", str(number), path, "-")
        assert "经办人" in page_text  # the header row is on every page
        assert f"第{number}页/共{len(reader.pages)}页" in page_text
    assert "张149" in run("pdftotext", path, "-")


def test_wide_table_turns_landscape() -> None:
    data = render_table_pdf("汇总表", [f"列{i}" for i in range(9)], [["x"] * 9])
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert float(box.width) > float(box.height)


def test_missing_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUNWU_CJK_FONT", "/nonexistent/font.ttc")
    with pytest.raises(FontNotFound, match="fonts-wqy-microhei"):
        render_pdf(Document(title="证明"))


def test_unusable_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font" * 100)
    monkeypatch.setenv("CUNWU_CJK_FONT", str(bogus))
    with pytest.raises(FontNotFound, match="cannot use"):
        pdf_module.cjk_font_name()
