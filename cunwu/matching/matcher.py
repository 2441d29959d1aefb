"""Rank catalog entries (names plus aliases) against free Chinese text.

Character 1- to 3-grams weighted by how rare they are across the catalog (BM25's idf), so
generic grams such as 证明 or 状况 count little and 婚姻 vs 婚育 counts a lot. Pure Python.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .normalize import clean, clean_segments, is_han

__all__ = ["DEFAULT_THRESHOLD", "Candidate", "Entry", "Matcher"]

DEFAULT_THRESHOLD = 0.5

# How much of an entry's weighted grams the text must cover matters more than how much of the
# text the entry explains: requests carry stories around the one thing they ask for.
_BETA = 2.0
_GRAM_SIZES = (1, 2, 3)
_SIZE_WEIGHT = {1: 0.5, 2: 1.0, 3: 1.0}
_UNKNOWN_WEIGHT = 0.5
# Share of a score that depends on the matched name appearing contiguously in the text
# (rapidfuzz partial_ratio): 继承证明 beats 去世证明 in 父母去世后房子继承要开继承证明.
_CONTIGUITY = 0.1

# Request phrasing; only words the catalog itself never uses are dropped (村委会 stays for signs).
_FILLER = (
    "我们 我家 我 你们 你 他们 他 她 咱们 咱 俺 要求 需要 要 想要 开具 开个 开一个 开 出具 出个 "
    "办理 办个 一个 一份 一张 个 村里 村上 村委会 村委 村干部 村支书 帮忙 帮我 麻烦 请问 "
    "盖章 盖个章 公章 需不需要 能不能 能否 可不可以 可以 吗 呢 吧 啊 呀 嘛 了 的 啥 什么 "
    "咋办 咋整 咋个整 咋个 怎么办 怎么 如何 哪里 哪点 在哪 去哪 一下 让我 叫我 让 给我"
).split()


@dataclass(frozen=True, slots=True)
class Entry:
    """A catalog item as the matcher sees it: code, official name and aliases."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ranked match; `matched` is the name or alias that matched best."""

    code: str
    name: str
    kind: str
    score: float
    matched: str


def _runs(cleaned: str) -> list[str]:
    """Split cleaned text where it changes between Han and other scripts."""
    runs: list[str] = []
    start = 0
    for i in range(1, len(cleaned) + 1):
        if i == len(cleaned) or is_han(cleaned[i]) != is_han(cleaned[start]):
            runs.append(cleaned[start:i])
            start = i
    return runs


def _grams(segment: str) -> set[str]:
    """Character n-grams of one segment."""
    return {
        segment[i : i + n] for n in _GRAM_SIZES for i in range(len(segment) - n + 1)
    }


class Matcher:
    """A catalog prepared for matching; build once per catalog version and reuse."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._entries: list[Entry] = sorted(entries, key=lambda e: e.code)
        # One row per distinct cleaned name or alias: (entry index, original text, cleaned).
        self._strings: list[tuple[int, str, str]] = []
        for index, entry in enumerate(self._entries):
            seen: set[str] = set()
            for text in (entry.name, *entry.aliases):
                cleaned = clean(text)
                if cleaned and cleaned not in seen:
                    seen.add(cleaned)
                    self._strings.append((index, text, cleaned))

        string_grams = [self._segment_grams(_runs(c)) for _, _, c in self._strings]
        doc_freq: dict[str, int] = defaultdict(int)
        for index, _ in enumerate(self._entries):
            grams: set[str] = set()
            for row, (entry_index, _, _) in enumerate(self._strings):
                if entry_index == index:
                    grams |= string_grams[row]
            for gram in grams:
                doc_freq[gram] += 1
        total = len(self._entries)
        # A gram weighs no more than its commonest part: 狗证 (养狗 + 证明) is rare only as a
        # junction, and counting it would punish every request that words 养狗 differently.
        capped: dict[str, float] = {}
        for gram in sorted(doc_freq, key=len):
            df = doc_freq[gram]
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            if len(gram) > 1:
                idf = min(idf, capped[gram[:-1]], capped[gram[1:]])
            capped[gram] = idf
        self._capped = capped
        self._max_idf = math.log(1 + (total + 0.5) / 0.5)
        self._weight: dict[str, float] = {
            gram: _SIZE_WEIGHT[len(gram)] * idf for gram, idf in capped.items()
        }
        self._string_total = [sum(self._weight[g] for g in grams) for grams in string_grams]
        postings: dict[str, list[int]] = defaultdict(list)
        for row, grams in enumerate(string_grams):
            for gram in grams:
                postings[gram].append(row)
        self._postings = {gram: tuple(rows) for gram, rows in postings.items()}
        self._exact = {}
        for row, (_, _, cleaned) in enumerate(self._strings):
            self._exact.setdefault(cleaned, row)

        catalog_text = "\n".join(c for _, _, c in self._strings)
        self._filler: dict[str, tuple[str, ...]] = defaultdict(tuple)
        for word in sorted({clean(w) for w in _FILLER} - {""}, key=lambda w: (-len(w), w)):
            if word not in catalog_text:
                self._filler[word[0]] += (word,)
        self._foreign_runs = {
            run for _, _, c in self._strings for run in _runs(c) if not is_han(run[0])
        }

    @staticmethod
    def _segment_grams(segments: Iterable[str]) -> set[str]:
        grams: set[str] = set()
        for segment in segments:
            grams |= _grams(segment)
        return grams

    def _unknown_weight(self, gram: str) -> float:
        """Weight of a gram the catalog never uses, capped by its parts like catalog grams."""
        idf = self._max_idf
        for part in (gram[:-1], gram[1:]) if len(gram) > 1 else ():
            idf = min(idf, self._capped.get(part, self._max_idf))
        return _UNKNOWN_WEIGHT * _SIZE_WEIGHT[len(gram)] * idf

    def _drop_filler(self, piece: str) -> list[str]:
        """Split a piece at request filler words, never cutting a catalog bigram (开个|个人)."""
        weight = self._weight
        parts: list[str] = []
        start = i = 0
        while i < len(piece):
            for word in self._filler.get(piece[i], ()):
                end = i + len(word)
                if (
                    piece.startswith(word, i)
                    and piece[i - 1 : i + 1] not in weight
                    and piece[end - 1 : end + 1] not in weight
                ):
                    parts.append(piece[start:i])
                    start = i = end
                    break
            else:
                i += 1
        parts.append(piece[start:])
        return parts

    def _segments(self, text: str, strip_names: Sequence[str]) -> tuple[str, list[str]]:
        """The normalised text and the pieces of it that carry content, between filler words."""
        pieces = clean_segments(text, strip_names)
        normalised = "".join(pieces)
        segments: list[str] = []
        for piece in pieces:
            for part in self._drop_filler(piece):
                segments.extend(run for run in _runs(part) if run)
        if any(is_han(s[0]) for s in segments):
            # Bilingual plates: match on the Chinese part unless the catalog uses the other script.
            segments = [s for s in segments if is_han(s[0]) or s in self._foreign_runs]
        return normalised, segments

    def match(
        self, text: str, *, strip_names: Sequence[str] = (), limit: int = 5
    ) -> list[Candidate]:
        """Entries ranked by score (ties by code), at most `limit`, scores in [0, 1]."""
        normalised, segments = self._segments(text, strip_names)
        weight = self._weight
        # Each known gram is credited to the first segment holding it; a segment's total counts
        # unknown grams too, so 关心下一代工作委员会 does not pass for 村民委员会.
        segment_of: dict[str, int] = {}
        segment_total: list[float] = []
        for index, segment in enumerate(segments):
            total = 0.0
            for gram in _grams(segment):
                w = weight.get(gram)
                if w is None:
                    total += self._unknown_weight(gram)
                else:
                    total += w
                    segment_of.setdefault(gram, index)
            segment_total.append(total)
        count = len(segments)
        per_segment: dict[int, float] = defaultdict(float)
        for gram, index in segment_of.items():
            w = weight[gram]
            for row in self._postings[gram]:
                per_segment[row * count + index] += w
        overlap: dict[int, float] = defaultdict(float)
        # Precision is each touched segment's precision weighted by the evidence found there, so
        # a stray 生 in a story about the request does not drag 出生证明 down.
        explained: dict[int, float] = defaultdict(float)
        for key, shared in per_segment.items():
            row, index = divmod(key, count)
            overlap[row] += shared
            explained[row] += shared * shared / segment_total[index]
        beta2 = _BETA * _BETA
        scores: dict[int, float] = {}
        entry_best: dict[int, float] = {}
        for row, shared in overlap.items():
            if shared <= 0:
                continue
            recall = shared / self._string_total[row]
            precision = explained[row] / shared
            score = (1 + beta2) * precision * recall / (beta2 * precision + recall)
            scores[row] = score
            entry_index = self._strings[row][0]
            if score > entry_best.get(entry_index, 0.0):
                entry_best[entry_index] = score
        exact = self._exact.get(normalised)
        if exact is not None:
            scores[exact] = 1.0
            entry_best[self._strings[exact][0]] = 1.0
        if limit <= 0 or not scores:
            return []
        # Contiguity only ever removes up to _CONTIGUITY of a score, so rows below that margin
        # under the limit-th entry cannot enter the result and need no fuzzy alignment.
        kth = sorted(entry_best.values(), reverse=True)[: limit][-1]
        floor = kth * (1 - _CONTIGUITY)
        content = "".join(segments)
        best: dict[int, tuple[float, int]] = {}
        for row, score in scores.items():
            if score < floor:
                continue
            if row != exact:
                aligned = fuzz.partial_ratio(self._strings[row][2], content) / 100
                score *= 1 - _CONTIGUITY + _CONTIGUITY * aligned
            entry_index = self._strings[row][0]
            held = best.get(entry_index)
            if held is None or (score, -row) > (held[0], -held[1]):
                best[entry_index] = (score, row)
        ranked = sorted(best.items(), key=lambda item: (-round(item[1][0], 4), item[0]))
        candidates = []
        for entry_index, (score, row) in ranked[:limit]:
            entry = self._entries[entry_index]
            candidates.append(
                Candidate(
                    code=entry.code,
                    name=entry.name,
                    kind=entry.kind,
                    score=round(min(1.0, max(0.0, score)), 4),
                    matched=self._strings[row][1],
                )
            )
        return candidates

    def best(
        self,
        text: str,
        *,
        strip_names: Sequence[str] = (),
        threshold: float = DEFAULT_THRESHOLD,
    ) -> Candidate | None:
        """The top candidate if it scores at least `threshold`, else None (unlisted)."""
        found = self.match(text, strip_names=strip_names, limit=1)
        return found[0] if found and found[0].score >= threshold else None
