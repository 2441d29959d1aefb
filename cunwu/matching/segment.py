"""Word segmentation (jieba) and pinyin (pypinyin) for the matcher. Pure Python: no Django.

jieba builds its prefix dictionary on first use (about 0.6 s); call `initialize` at start-up
with a writable cache directory so that the cost is paid once and never inside a request.
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

__all__ = ["add_words", "initialize", "pinyin_of", "words"]

jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()
_known: set[str] = set()
_ready = False


def initialize(cache_dir: str | None = None) -> None:
    """Load jieba's dictionary now, caching it under `cache_dir` (default: the temp dir)."""
    global _ready
    with _lock:
        if _ready:
            return
        directory = cache_dir or tempfile.gettempdir()
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


@lru_cache(maxsize=65536)
def _char_pinyin(char: str) -> str:
    found = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
    return found[0] if found else ""


def pinyin_of(text: str) -> tuple[str, ...]:
    """Toneless pinyin per character (a non-Han character stands for itself)."""
    return tuple(_char_pinyin(ch) or ch for ch in text)
