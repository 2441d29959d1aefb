"""Plain text out of uploaded documents: docx (its XML, read with the standard library) and PDF
(poppler's pdftotext). Pure helpers: bytes in, text out, UploadError with a Chinese message."""

from __future__ import annotations

import io
import subprocess
import tempfile
import zipfile
from xml.etree import ElementTree

from cunwu.documents.uploads import UploadError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A docx's main part is rarely over a few MB; more than this is a zip bomb or not a letter.
MAX_XML_BYTES = 20 * 1024 * 1024
PDFTOTEXT_SECONDS = 30


def docx_text(data: bytes) -> str:
    """The paragraphs of word/document.xml, one per line (tables' cells included, in order)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES:
                raise UploadError("文件正文过大，请分篇上传或直接粘贴文字。")
            xml = archive.read(info)
        root = ElementTree.fromstring(xml)  # noqa: S314 - stdlib parser does not fetch external entities
    except UploadError:
        raise
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError) as exc:
        raise UploadError("无法读取该 Word 文件（只支持 .docx），请另存为 .docx 或直接粘贴文字。") from exc
    lines = []
    for paragraph in root.iter(f"{_W}p"):
        text = "".join(node.text or "" for node in paragraph.iter(f"{_W}t"))
        if text.strip():
            lines.append(text.strip())
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF (a scanned PDF has none: the caller says so)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        try:
            done = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", "-nopgbrk", handle.name, "-"],
                capture_output=True,
                timeout=PDFTOTEXT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UploadError("PDF 文件无法读取，请直接粘贴文字。") from exc
    if done.returncode != 0:
        raise UploadError("PDF 文件无法读取（可能已损坏或加密），请直接粘贴文字。")
    text = done.stdout.decode("utf-8", errors="replace")
    if not text.strip():
        raise UploadError("该 PDF 没有文字层（可能是扫描件），请直接粘贴文字。")
    return text
