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

from . import segment as segmenter
from .lexicon import Lexicon
from .normalize import clean, clean_segments, is_han

__all__ = ["DEFAULT_THRESHOLD", "Candidate", "Entry", "Matcher"]

# Calibrated on the labelled sets in tests/data: below it a request is "unlisted".
DEFAULT_THRESHOLD = 0.4

# Scores are F-beta of recall (how much of a name the text covers) and precision (how much of
# the text around it the name explains); recall counts more, requests tell a story around it.
_BETA = 2.0
_GRAM_SIZES = (1, 2, 3)
# A lone character is weak evidence: 出 in 外出 is not 出生.
_SIZE_WEIGHT = {1: 0.5, 2: 1.0, 3: 1.0}
# Grams the catalog never uses still count against precision, at this share.
_UNKNOWN_WEIGHT = 0.5
# Share of a score that depends on the matched name appearing contiguously in the text
# (rapidfuzz partial_ratio): 继承证明 beats 去世证明 in 父母去世后房子继承要开继承证明.
_CONTIGUITY = 0.1
# A name or alias found whole inside the text wins outright, above any n-gram score (the longer
# name first): 出生证明 in a 25-character story is still 出生证明.
_CONTAINED_BASE = 0.9
_CONTAINED_MIN_LENGTH = 3
# Readings that change the text cost a little: a synonym from the lexicon, more for a homophone.
_LEXICON_FACTOR = 0.97
_PINYIN_FACTOR = 0.9
_PINYIN_LENGTHS = (4, 3, 2)
# Grams in more names than this are scored per candidate instead of through postings (speed).
_POSTING_CAP_MIN = 24
_POSTING_CAP_SHARE = 0.02

# Request phrasing, split out of the text unless the catalog itself uses the word (村委会 is a
# sign). One-character words are kept to particles and pronouns that rarely sit inside words.
_FILLER_TEXT = (
    "我们 我家 我 你们 你 他们 他 她 咱们 咱 俺 要求 需要 要 想要 开具 开个 开一个 开 出具 出个 "
    "办理 办个 一个 一份 一张 个 村里 村上 村委会 村委 村干部 村支书 帮忙 帮我 麻烦 请问 "
    "盖章 盖个章 公章 需不需要 能不能 能否 可不可以 可以 吗 呢 吧 啊 呀 嘛 了 的 啥 什么 "
    "咋办 咋整 咋个整 咋个 怎么办 怎么 如何 哪里 哪点 在哪 去哪 一下 让我 叫我 让 给我"
)
_FILLER = tuple(_FILLER_TEXT.split())


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
    # How the text was read to reach this match: "两口子→夫妻", "婚因→婚姻（同音）", "含“出生证明”".
    via: tuple[str, ...] = ()


def _runs(text: str) -> list[str]:
    """Split text where it changes between Han and other scripts."""
    runs: list[str] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or is_han(text[i]) != is_han(text[start]):
            runs.append(text[start:i])
            start = i
    return runs


def _grams(segment: str) -> set[str]:
    """Character n-grams of one segment."""
    return {segment[i : i + n] for n in _GRAM_SIZES for i in range(len(segment) - n + 1)}


class Matcher:
    """A catalog prepared for matching: build once per catalog version, then call `match`."""

    def __init__(self, entries: Iterable[Entry], lexicon: Lexicon | None = None) -> None:
        self._lexicon = lexicon or Lexicon()
        self._entries: list[Entry] = sorted(entries, key=lambda e: (e.code, e.kind, e.name))
        # One row per distinct cleaned name or alias: (entry index, original text, cleaned).
        self._rows: list[tuple[int, str, str]] = []
        for index, entry in enumerate(self._entries):
            seen: set[str] = set()
            for text in (entry.name, *entry.aliases):
                cleaned = clean(text)
                if cleaned and cleaned not in seen:
                    seen.add(cleaned)
                    self._rows.append((index, text, cleaned))
        self._row_entry = [entry_index for entry_index, _, _ in self._rows]
        row_grams = [set().union(*map(_grams, _runs(c))) for _, _, c in self._rows]

        entry_grams: dict[int, set[str]] = defaultdict(set)
        for (entry_index, _, _), grams in zip(self._rows, row_grams, strict=True):
            entry_grams[entry_index] |= grams
        doc_freq: dict[str, int] = defaultdict(int)
        for grams in entry_grams.values():
            for gram in grams:
                doc_freq[gram] += 1
        total = len(self._entries)
        self._max_idf = math.log(1 + (total + 0.5) / 0.5)
        # A gram weighs no more than its commonest part: 狗证 (养狗 + 证明) is rare only as a
        # junction, and counting it would punish every request that words 养狗 differently.
        self._idf: dict[str, float] = {}
        for gram in sorted(doc_freq, key=len):
            df = doc_freq[gram]
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            if len(gram) > 1:
                idf = min(idf, self._idf[gram[:-1]], self._idf[gram[1:]])
            self._idf[gram] = idf
        self._weight = {gram: _SIZE_WEIGHT[len(gram)] * idf for gram, idf in self._idf.items()}
        self._row_total = [sum(self._weight[g] for g in grams) for grams in row_grams]

        postings: dict[str, list[int]] = defaultdict(list)
        for row, grams in enumerate(row_grams):
            for gram in grams:
                postings[gram].append(row)
        cap = max(_POSTING_CAP_MIN, int(len(self._rows) * _POSTING_CAP_SHARE))
        self._postings = {g: tuple(rows) for g, rows in postings.items() if len(rows) <= cap}
        self._common = {g: frozenset(rows) for g, rows in postings.items() if len(rows) > cap}
        # Rows made only of common grams are reachable through no posting: always candidates.
        self._common_only = tuple(
            row for row, grams in enumerate(row_grams) if all(g not in self._postings for g in grams)
        )
        self._exact: dict[str, int] = {}
        for row, (_, _, cleaned) in enumerate(self._rows):
            self._exact.setdefault(cleaned, row)

        catalog_text = "\n".join(c for _, _, c in self._rows)
        filler: dict[str, list[str]] = defaultdict(list)
        for word in sorted({clean(w) for w in _FILLER} - {""}, key=lambda w: (-len(w), w)):
            if word not in catalog_text:
                filler[word[0]].append(word)
        self._filler = {first: tuple(words) for first, words in filler.items()}
        self._foreign_runs = frozenset(run for _, _, c in self._rows for run in _runs(c) if not is_han(run[0]))
        self._prepare_reading()

    def _prepare_reading(self) -> None:
        """Indexes for containment, the lexicon and homophones."""
        self._by_bigram: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for cleaned, row in sorted(self._exact.items(), key=lambda item: (-len(item[0]), item[0])):
            if len(cleaned) >= _CONTAINED_MIN_LENGTH:
                self._by_bigram[cleaned[:2]].append((cleaned, row))
        terms: set[str] = set()
        segmenter.add_words(self._lexicon.words() | {c for _, _, c in self._rows})
        for _, _, cleaned in self._rows:
            terms.update(w for w in segmenter.subwords(cleaned) if 2 <= len(w) <= 4 and all(map(is_han, w)))
        terms.update(w for w in self._lexicon.mapping.values() if 2 <= len(w) <= 4)
        self._by_pinyin: dict[tuple[str, ...], str] = {}
        for term in sorted(terms):
            self._by_pinyin.setdefault(segmenter.pinyin_of(term), term)
        # Syllables of those terms, to read pinyin typed instead of characters (juzhu证明, sheng存).
        self._syllables = frozenset(s for key in self._by_pinyin for s in key)
        self._longest_syllable = max(map(len, self._syllables), default=0)

    def _unknown_weight(self, gram: str) -> float:
        """Weight of a gram the catalog never uses, capped by its parts like catalog grams."""
        idf = self._max_idf
        if len(gram) > 1:
            idf = min(idf, self._idf.get(gram[:-1], idf), self._idf.get(gram[1:], idf))
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
                    and (i == 0 or piece[i - 1 : i + 1] not in weight)
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
        """The normalised text and its content segments (split at punctuation and filler)."""
        pieces = clean_segments(text, strip_names)
        segments = [run for piece in pieces for part in self._drop_filler(piece) for run in _runs(part) if run]
        if any(is_han(s[0]) for s in segments):
            # Bilingual plates: match on the Chinese part unless the catalog uses the other script.
            segments = [s for s in segments if is_han(s[0]) or s in self._foreign_runs]
        return "".join(pieces), segments

    def match(self, text: str, *, strip_names: Sequence[str] = (), limit: int = 5) -> list[Candidate]:
        """Entries ranked by score (ties by code), at most `limit`; scores in [0, 1].

        `strip_names` are the official names of the asker's own regions and organisations.
        The text is read as written, then with lexicon synonyms, then with homophones corrected;
        each entry keeps its best reading, and a name or alias contained whole wins outright.
        """
        if limit <= 0:
            return []
        pieces = clean_segments(text, strip_names)
        best: dict[tuple[str, str], Candidate] = {}
        readings: list[tuple[list[str], float, tuple[str, ...]]] = [(pieces, 1.0, ())]
        synonyms, notes = self._read_synonyms(pieces)
        if notes:
            readings.append((synonyms, _LEXICON_FACTOR, notes))
        homophones, sounds = self._read_homophones(synonyms)
        if sounds:
            readings.append((homophones, _PINYIN_FACTOR, (*notes, *sounds)))
        for reading, factor, via in readings:
            for found in self._contained(reading, factor, via):
                _keep(best, found)
            for found in self._match_grams("，".join(reading), (), limit):
                _keep(
                    best,
                    Candidate(found.code, found.name, found.kind, round(found.score * factor, 4), found.matched, via),
                )
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.code, c.kind))
        return ranked[:limit]

    def _contained(self, pieces: list[str], factor: float, via: tuple[str, ...]) -> list[Candidate]:
        """Entries whose cleaned name or alias (three characters or more) occurs whole in a piece."""
        found: list[Candidate] = []
        for piece in pieces:
            for i in range(len(piece) - 1):
                for cleaned, row in self._by_bigram.get(piece[i : i + 2], ()):
                    if piece.startswith(cleaned, i):
                        entry = self._entries[self._row_entry[row]]
                        score = (_CONTAINED_BASE + 0.01 * min(len(cleaned), 9)) * factor
                        if cleaned == piece and factor == 1.0:
                            score = 1.0
                        matched = self._rows[row][1]
                        found.append(
                            Candidate(
                                entry.code, entry.name, entry.kind, round(score, 4), matched, (*via, f"含“{matched}”")
                            )
                        )
        return found

    def _read_synonyms(self, pieces: list[str]) -> tuple[list[str], tuple[str, ...]]:
        """Pieces with lexicon phrases replaced by their catalog terms, and what was replaced."""
        mapping = self._lexicon.mapping
        if not mapping:
            return pieces, ()
        notes: list[str] = []
        out: list[str] = []
        for piece in pieces:
            words = []
            for word in segmenter.words(piece):
                canonical = mapping.get(word)
                if canonical is not None:
                    notes.append(f"{word}→{canonical}")
                    word = canonical
                words.append(word)
            out.append("".join(words))
        return out, tuple(notes)

    def _read_homophones(self, pieces: list[str]) -> tuple[list[str], tuple[str, ...]]:
        """Pieces with input-method homophones of catalog terms corrected (婚因 → 婚姻)."""
        by_pinyin = self._by_pinyin
        notes: list[str] = []
        out: list[str] = []
        for piece in pieces:
            units = self._sound_units(piece)
            sounds = tuple(sound for _, sound in units)
            chars = [written for written, _ in units]
            i = 0
            while i < len(units):
                for n in _PINYIN_LENGTHS:
                    term = by_pinyin.get(sounds[i : i + n]) if i + n <= len(units) else None
                    if term is not None:
                        written = "".join(chars[i : i + n])
                        if (
                            written != term
                            and not self._exact_word(written)
                            and not _real_word(written)
                            and not self._splits_a_word(units, i, i + n)
                        ):
                            chars[i : i + n] = [term] + [""] * (n - 1)
                            notes.append(f"{written}→{term}（同音）")
                        i += n
                        break
                else:
                    i += 1
            out.append("".join(chars))
        return out, tuple(notes)

    def _sound_units(self, piece: str) -> list[tuple[str, str]]:
        """(written, toneless pinyin) per Han character; a run of Latin letters that spells pinyin
        syllables of catalog terms counts one unit per syllable (juzhu → ju, zhu)."""
        units: list[tuple[str, str]] = []
        for run in _runs(piece):
            syllables = self._split_pinyin(run) if not is_han(run[0]) and run.isalpha() else None
            if syllables:
                units.extend((s, s) for s in syllables)
            else:
                units.extend(zip(run, segmenter.pinyin_of(run), strict=True))
        return units

    def _split_pinyin(self, run: str) -> list[str] | None:
        """The fewest catalog syllables that spell `run` exactly, or None."""
        if not run.isascii() or len(run) < 2 or len(run) > 24:
            return None
        best: list[list[str] | None] = [[]] + [None] * len(run)
        for end in range(1, len(run) + 1):
            for start in range(max(0, end - self._longest_syllable), end):
                head, held = best[start], best[end]
                if (
                    head is not None
                    and run[start:end] in self._syllables
                    and (held is None or len(head) < len(held) - 1)
                ):
                    best[end] = [*head, run[start:end]]
        return best[-1]

    def _splits_a_word(self, units: list[tuple[str, str]], start: int, end: int) -> bool:
        """Whether a dictionary word of the text that the catalog never uses crosses either edge of
        units[start:end]: 里证 in 村里证明 is two words' halves, not a typo of 力证."""
        for edge in (start, end):
            for left in range(max(0, edge - 3), edge):
                for right in range(edge + 1, min(len(units), edge + 3) + 1):
                    word = "".join(written for written, _ in units[left:right])
                    if len(word) == right - left and word not in self._weight and _real_word(word):
                        return True
        return False

    def _exact_word(self, written: str) -> bool:
        """Whether a written word is itself a catalog gram (then it is no typo)."""
        return written in self._weight and self._idf.get(written, 0.0) > 0.0

    def _match_grams(self, text: str, strip_names: Sequence[str], limit: int) -> list[Candidate]:
        """The n-gram score of one reading (see the module docstring)."""
        normalised, segments = self._segments(text, strip_names)
        if limit <= 0 or not segments:
            return []
        segment_of, segment_total = self._weigh(segments)
        shared_in = self._shared(segment_of, len(segments))
        scores: dict[int, float] = {}
        entry_best: dict[int, float] = {}
        beta2 = _BETA * _BETA
        row_entry, row_total = self._row_entry, self._row_total
        for row, (shared, explained) in self._evidence(shared_in, segment_total).items():
            recall = shared / row_total[row]
            # Each touched segment's precision, weighted by the evidence found there, so a stray
            # 生 in the story around a request does not drag 出生证明 down.
            precision = explained / shared
            score = (1 + beta2) * precision * recall / (beta2 * precision + recall)
            scores[row] = score
            if score > entry_best.get(row_entry[row], -1.0):
                entry_best[row_entry[row]] = score
        exact = self._exact.get(normalised)
        if exact is not None:
            scores[exact] = entry_best[row_entry[exact]] = 1.0
        if not scores:
            return []
        return self._rank(scores, entry_best, "".join(segments), exact, limit)

    def _weigh(self, segments: list[str]) -> tuple[dict[str, int], list[float]]:
        """Each known gram's segment (the first holding it) and each segment's total weight.

        Totals count unknown grams too, so 关心下一代工作委员会 does not pass for 村民委员会.
        """
        weight = self._weight
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
        return segment_of, segment_total

    def _shared(self, segment_of: dict[str, int], count: int) -> list[dict[int, float]]:
        """Per segment, the weight each row shares with it."""
        weight = self._weight
        shared_in: list[dict[int, float]] = [defaultdict(float) for _ in range(count)]
        for gram, index in segment_of.items():
            rows = self._postings.get(gram)
            if rows is not None:
                w, into = weight[gram], shared_in[index]
                for row in rows:
                    into[row] += w
        # Grams in many names only add to rows that some rarer gram has already reached.
        candidates = set(self._common_only).union(*shared_in)
        for gram, index in segment_of.items():
            common_rows = self._common.get(gram)
            if common_rows is not None:
                w, into = weight[gram], shared_in[index]
                for row in common_rows.intersection(candidates):
                    into[row] += w
        return shared_in

    @staticmethod
    def _evidence(shared_in: list[dict[int, float]], segment_total: list[float]) -> dict[int, tuple[float, float]]:
        """Per row: total shared weight, and the sum of shared² / segment total."""
        evidence: dict[int, tuple[float, float]] = {}
        for into, total in zip(shared_in, segment_total, strict=True):
            for row, amount in into.items():
                shared, explained = evidence.get(row, (0.0, 0.0))
                evidence[row] = (shared + amount, explained + amount * amount / total)
        return evidence

    def _rank(
        self,
        scores: dict[int, float],
        entry_best: dict[int, float],
        content: str,
        exact: int | None,
        limit: int,
    ) -> list[Candidate]:
        """Apply the contiguity factor where it can change the result, then rank entries."""
        # The factor removes at most _CONTIGUITY of a score, so rows that far below the
        # limit-th entry cannot enter the result and need no alignment.
        kth = sorted(entry_best.values(), reverse=True)[:limit][-1]
        floor = kth * (1 - _CONTIGUITY)
        best: dict[int, tuple[float, int]] = {}
        for row, score in scores.items():
            if score < floor:
                continue
            if row != exact:
                aligned = fuzz.partial_ratio(self._rows[row][2], content) / 100
                score *= 1 - _CONTIGUITY + _CONTIGUITY * aligned
            entry_index = self._rows[row][0]
            held = best.get(entry_index)
            if held is None or (score, -row) > (held[0], -held[1]):
                best[entry_index] = (score, row)
        ranked = sorted(best.items(), key=lambda item: (-round(item[1][0], 4), item[0]))
        result = []
        for entry_index, (score, row) in ranked[:limit]:
            entry = self._entries[entry_index]
            result.append(
                Candidate(
                    code=entry.code,
                    name=entry.name,
                    kind=entry.kind,
                    score=round(min(1.0, max(0.0, score)), 4),
                    matched=self._rows[row][1],
                )
            )
        return result

    def best(
        self,
        text: str,
        *,
        strip_names: Sequence[str] = (),
        threshold: float = DEFAULT_THRESHOLD,
    ) -> Candidate | None:
        """The top candidate if it scores at least `threshold`, else None ("unlisted")."""
        found = self.match(text, strip_names=strip_names, limit=1)
        return found[0] if found and found[0].score >= threshold else None


def _real_word(written: str) -> bool:
    """A written Han word the dictionary knows (综治, 生存) is what the writer meant, not a homophone typo."""
    return is_han(written[0]) and segmenter.is_dictionary_word(written)


def _keep(best: dict[tuple[str, str], Candidate], found: Candidate) -> None:
    key = (found.kind, found.code)
    held = best.get(key)
    if held is None or found.score > held.score:
        best[key] = found
