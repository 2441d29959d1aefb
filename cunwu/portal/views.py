from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from cunwu.accounts.navigation import public_sections
from cunwu.dbrouting import reads_from_replica
from cunwu.outage import is_database_outage, unavailable
from cunwu.regions import codes
from cunwu.regions.selectors import place_path, places_search
from cunwu.throttling import check_rate

MAX_QUERY = 20

# What the measures regulate, in the words a villager would use; each names its clauses.
TOPICS = (
    (
        "工作事务",
        "村里该办什么、协助什么，以清单为准；清单外的事项须经县级准入审查才能交给村里。",
        "（一）（二）（三）",
    ),
    ("机制牌子", "村里只挂清单内的牌子，外部标识、门牌和室内标牌各有规定位置。", "（六）（九）（十）"),
    (
        "证明事项",
        "村里只出具保留清单内的证明；不应由村开具的证明，可通过证照、部门核查、告知承诺等方式办理。",
        "（十一）（十二）（十三）",
    ),
)


@reads_from_replica
def home(request: HttpRequest) -> HttpResponse:
    """The public portal: what villagers, agencies and anyone can look up without signing in."""
    return render(request, "portal/home.html", {"sections": public_sections(), "topics": TOPICS})


@reads_from_replica
def places(request: HttpRequest) -> HttpResponse:
    """/zhaocun/: find a village, community or township by name, pinyin or initials (大箐 / daqing / dqc).

    Each match shows its full path (云南省 › 昆明市 › 富民县 › 罗免镇 › 大箐村委会) so that villages of the
    same name are told apart, and links to its public pages.
    """
    check_rate(request, "public")
    q = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    found = []
    if q:
        for region in places_search(q):
            found.append(
                {
                    "region": region,
                    "path": " › ".join(r.name for r in place_path(region)),
                    "is_village": region.level in codes.VILLAGE_LEVELS,
                }
            )
    return render(request, "portal/places.html", {"q": q, "found": found, "limit_hit": len(found) >= 30})


def robots(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        "User-agent: *\nDisallow: /api/\nDisallow: /accounts/\nDisallow: /v/\n", content_type="text/plain"
    )


def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico whatever the page says; the icon is one SVG among the static files.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the uncaught exception, so it is still the current one.
    if is_database_outage(sys.exc_info()[1]):
        return unavailable(request)
    return render(request, "500.html", status=500)
