"""Word segmentation (jieba) and pinyin (pypinyin) for the matcher. Pure Python: no Django.

jieba builds its prefix dictionary on first use (0.6–1.5 s, ~60 MB). `configure` names a writable cache
directory (cheap; done when Django starts); the web server calls `initialize` once at start-up
(`cunwu/wsgi.py`) so the cost is never paid inside a request, while management commands and tests
that never read free text never pay it at all.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Iterable
from functools import lru_cache

import jieba
from pypinyin import Style, lazy_pinyin

__all__ = ["add_words", "configure", "initialize", "is_dictionary_word", "pinyin_of", "subwords", "words"]

jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()
_known: set[str] = set()
_ready = False
_cache_dir: str | None = None


def configure(cache_dir: str) -> None:
    """Where jieba keeps its dictionary cache; nothing is loaded yet."""
    global _cache_dir
    _cache_dir = cache_dir


def initialize(cache_dir: str | None = None) -> None:
    """Load jieba's dictionary now, caching it under `cache_dir` (default: the configured or temp dir)."""
    global _ready
    with _lock:
        if _ready:
            return
        directory = cache_dir or _cache_dir or tempfile.gettempdir()
        os.makedirs(directory, exist_ok=True)
        jieba.dt.tmp_dir = directory
        jieba.dt.cache_file = "cunwu-jieba.cache"
        jieba.initialize()
        _ready = True


def add_words(terms: Iterable[str]) -> None:
    """Teach the segmenter catalog and lexicon terms so they come out as one word."""
    new = [t for t in terms if len(t) > 1 and t not in _known]
    if not new:
        return
    initialize()
    with _lock:
        for term in new:
            jieba.add_word(term, freq=200000)
            _known.add(term)
    _cut.cache_clear()


@lru_cache(maxsize=8192)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(jieba.lcut(text, HMM=False))


def words(text: str) -> tuple[str, ...]:
    """The words of cleaned text."""
    if not _ready:
        initialize()
    return _cut(text)


def subwords(text: str) -> tuple[str, ...]:
    """The words of cleaned text and the dictionary words inside them (婚姻状况证明 → 婚姻, 状况, …)."""
    if not _ready:
        initialize()
    return tuple(jieba.lcut_for_search(text, HMM=False))


def is_dictionary_word(text: str) -> bool:
    """Whether jieba's own dictionary knows the text as a word (综治 is one, 婚因 is a typo)."""
    if not _ready:
        initialize()
    return text not in _known and bool(jieba.dt.FREQ.get(text))


@lru_cache(maxsize=65536)
def _char_pinyin(char: str) -> str:
    found = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
    return found[0] if found else ""


def pinyin_of(text: str) -> tuple[str, ...]:
    """Toneless pinyin per character (a non-Han character stands for itself)."""
    return tuple(_char_pinyin(ch) or ch for ch in text)
