"""Oversight's label table: the burden index's figures (each app's `burden.py`) in their own words,
for the formula's version history (`{{ name|label:"oversight" }}`, cunwu.pagetext)."""

from __future__ import annotations

from . import figures

LABELS: dict[str, str] = {name: figure.label for name, figure in figures.all_figures().items()}
