"""A domain lexicon as plain data: colloquial phrases and their catalog terms (两口子 → 夫妻).

The matcher receives a `Lexicon`; where its rows come from (the seed file in the repository or
the revisions province admins approve) is not the matcher's business. Pure Python: no Django.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .normalize import clean

__all__ = ["SEED_FILE", "Lexicon", "LexiconRow", "load_seed"]

SEED_FILE = Path(__file__).resolve().parents[2] / "data" / "lexicon" / "seed.csv"


@dataclass(frozen=True, slots=True)
class LexiconRow:
    """One phrase people write and the catalog term it means."""

    phrase: str
    canonical: str
    note: str = ""


@dataclass(frozen=True)
class Lexicon:
    """Phrases (cleaned) → canonical terms (cleaned); build once, share between matchers."""

    rows: tuple[LexiconRow, ...] = ()
    mapping: dict[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, rows: Iterable[LexiconRow]) -> Lexicon:
        kept = tuple(rows)
        mapping: dict[str, str] = {}
        for row in kept:
            phrase, canonical = clean(row.phrase), clean(row.canonical)
            if phrase and canonical and phrase != canonical:
                mapping.setdefault(phrase, canonical)
        # Follow chains (老公 → 丈夫 → 夫妻关系) so one pass of replacement reaches the catalog term.
        for phrase, canonical in list(mapping.items()):
            seen = {phrase}
            while canonical in mapping and canonical not in seen:
                seen.add(canonical)
                canonical = mapping[canonical]
            mapping[phrase] = canonical
        return cls(kept, mapping)

    def __bool__(self) -> bool:
        return bool(self.mapping)

    def words(self) -> set[str]:
        """Every phrase and canonical term, for the segmenter's dictionary."""
        return set(self.mapping) | set(self.mapping.values())


@lru_cache(maxsize=4)
def load_seed(path: Path = SEED_FILE) -> Lexicon:
    """The lexicon shipped with the code (`data/lexicon/seed.csv`: phrase, canonical, note)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return Lexicon.of(LexiconRow(r["phrase"], r["canonical"], r.get("note") or "") for r in csv.DictReader(handle))
