"""Refuse an upload body larger than anything the app accepts before Django parses a byte of it.

Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) and the number of files
(DATA_UPLOAD_MAX_NUMBER_FILES) but streams file parts of any size to memory or disk. The declared
Content-Length of a multipart request is checked here against UPLOAD_MAX_TOTAL_BYTES.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from cunwu.documents.uploads import megabytes


class UploadSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
            limit = settings.UPLOAD_MAX_TOTAL_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                detail = (
                    f"提交的文件合计太大（{megabytes(length)} MB），"
                    f"一次最多 {megabytes(settings.UPLOAD_MAX_TOTAL_BYTES)} MB，请减少或压缩后再提交。"
                )
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": detail, "code": "upload_too_large"}, status=413)
                return render(request, "error.html", {"detail": detail, "status": 413}, status=413)
        return self.get_response(request)
