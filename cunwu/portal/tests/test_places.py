"""找村: a village or township found by name, pinyin or initials, with its full path (issue 16)."""

from __future__ import annotations

from typing import Any

import pytest

from cunwu.regions import search
from cunwu.regions.models import Region
from cunwu.regions.selectors import place_path, places_search

pytestmark = pytest.mark.django_db


def test_search_keys_hold_the_usual_reading_and_variants() -> None:
    assert search.search_keys("大箐村委会")[1].split()[0] == "dqcwh"
    assert search.search_keys("罗免镇")[0].split()[0] == "luomianzhen"
    assert "changposhequjuweihui" in search.search_keys("长坡社区居委会")[0].split()
    assert search.query_keys("DQC") == ("", "dqc")
    assert search.query_keys("da qing") == ("", "daqing")
    assert search.query_keys("大箐") == ("大箐", "daqing")


def _village(code: str, name: str, township: str) -> Region:
    return Region.objects.create(code=code, name=name, level="village", parent_id=township)


def test_found_by_name_pinyin_and_initials_with_full_path(village: Any) -> None:
    twin = _village("530124104250", village.name, "530124104000")  # a same-named village in 赤鹫镇
    for q in (village.name[:2], "dqc", "daqing", "DaQing"):
        found = places_search(q)
        assert village.code in [r.code for r in found], q
    found = {r.code: r for r in places_search(village.name)}
    assert {village.code, twin.code} <= set(found)
    paths = {" › ".join(r.name for r in place_path(found[c])) for c in (village.code, twin.code)}
    assert "云南省 › 昆明市 › 富民县 › 罗免镇 › " + village.name in paths and len(paths) == 2


def test_township_found_and_name_changes_update_the_keys(village: Any) -> None:
    assert "530124103000" in [r.code for r in places_search("lmz")]
    village.name = "松林村委会"
    village.save(update_fields=["name"])
    village.refresh_from_db()
    assert village.search_initials.split()[0] == "slcwh"
    assert village.code in [r.code for r in places_search("songlin")]


def test_places_page_lists_paths_and_links(client: Any, village: Any) -> None:
    page = client.get("/zhaocun/", {"q": "dqc"}).content.decode()
    assert "罗免镇 › " + village.name in page and f"/gongkai/{village.code}/" in page
    assert f"/kaizhengming/{village.code}/" in page and "js/places.js" in page
    assert "没有找到" in client.get("/zhaocun/", {"q": "xxxxqqq"}).content.decode()
    assert 'action="/zhaocun/"' in client.get("/").content.decode()


def test_places_page_is_rate_limited(client: Any, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 2}
    assert client.get("/zhaocun/", {"q": "dqc"}).status_code == 200
    assert client.get("/zhaocun/", {"q": "dqc"}).status_code == 200
    assert client.get("/zhaocun/", {"q": "dqc"}).status_code == 429
