"""The shared text matcher: free Chinese text against catalog names and aliases (DESIGN §3)."""

from .matcher import DEFAULT_THRESHOLD, Candidate, Entry, Matcher
from .normalize import normalize, place_name_variants

__all__ = [
    "DEFAULT_THRESHOLD",
    "Candidate",
    "Entry",
    "Matcher",
    "normalize",
    "place_name_variants",
]
