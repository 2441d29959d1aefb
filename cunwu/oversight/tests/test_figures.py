"""The plug-in consumer: every app's burden.py found by autodiscover, each figure with unit, clause and records page."""

from __future__ import annotations

import datetime as dt

from cunwu.oversight import figures


def test_every_app_contributes_its_figures() -> None:
    found = figures.all_figures()
    assert {f.app for f in found.values()} >= {"admission", "signs", "certificates", "seals"}
    for f in found.values():
        assert f.label and f.unit and f.clause.startswith("（"), f
        assert f.name.startswith(f.app), "names are prefixed with their app so they stay unique"


def test_every_figure_can_list_its_records() -> None:
    for name in figures.all_figures():
        assert figures.has_records(name), name
    assert not figures.has_records("no_such_figure")
    rows, total = figures.records(
        "no_such_figure", "53", "539", dt.date(2026, 11, 1), dt.date(2026, 12, 1), user=None, limit=5
    )
    assert (rows, total) == ([], 0)
