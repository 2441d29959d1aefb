"""The demo data and the `signs_scan` command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from cunwu.regions.selectors import villages_under
from cunwu.signs import compliance, demo
from cunwu.signs.models import Facility, Mechanism, ScanReport, Sign

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_realistic(county):
    out = io.StringIO()
    demo.seed(scale="demo", stdout=out)
    villages = villages_under(county)
    plates = Sign.objects.count()
    assert plates >= 10 * len(villages)
    assert Facility.objects.count() == len(villages) and Mechanism.objects.exists()
    demo.seed(scale="demo", stdout=out)
    assert Sign.objects.count() == plates
    result = compliance.scan(county)
    totals = result.totals
    assert totals.plates == plates
    # A village before its clean-up: mostly catalog plates, some outside it.
    assert 0 < totals.problems["not_in_catalog"] < plates / 4


def test_demo_seed_does_nothing_at_province_scale():
    demo.seed(scale="yunnan", stdout=io.StringIO())
    assert not Sign.objects.exists()


def test_short_name():
    assert demo.short_name("大箐村委会") == "大箐"
    assert demo.short_name("中沟社区居委会") == "中沟"
    assert demo.short_name("某地") == "某地"


def test_signs_scan_command(county):
    demo.seed(scale="demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("signs_scan", "--region", county.code, stdout=out)
    text = out.getvalue()
    assert "富民县" in text and "不在目录内" in text
    report = ScanReport.objects.get()
    assert report.plates == Sign.objects.count() and report.run_by == "cunwu signs_scan"
    with pytest.raises(CommandError):
        call_command("signs_scan", "--region", "12", stdout=out)
