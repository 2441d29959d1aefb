"""cunwu's URLs plus /bench-hello/ (bench only: the baseline for the verification API)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cunwu.urls import urlpatterns as cunwu_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("bench-hello/", hello), *cunwu_urlpatterns]
