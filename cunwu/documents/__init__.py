"""Documents: print-ready PDFs, QR codes, spreadsheet import/export and upload checks.

Pure helpers with no Django imports: callers pass plain values and get bytes back.
"""

from cunwu.documents.pdf import Document, FontNotFound, render_pdf, render_table_pdf
from cunwu.documents.qr import qr_png, qr_svg_data_uri
from cunwu.documents.uploads import (
    CheckedFile,
    UploadError,
    check_batch,
    check_upload,
    clean_image,
    read_uploads,
    validate_upload_size,
)
from cunwu.documents.xlsx import (
    Column,
    ReadResult,
    RowError,
    build_template,
    parse_date,
    read_table,
    write_csv,
    write_table,
)

__all__ = [
    "CheckedFile",
    "Column",
    "Document",
    "FontNotFound",
    "ReadResult",
    "RowError",
    "UploadError",
    "build_template",
    "check_batch",
    "check_upload",
    "clean_image",
    "parse_date",
    "qr_png",
    "qr_svg_data_uri",
    "read_table",
    "read_uploads",
    "render_pdf",
    "render_table_pdf",
    "validate_upload_size",
    "write_csv",
    "write_table",
]
