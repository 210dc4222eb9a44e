"""Close matches for a word that names nothing: the "did you mean" of every message.

An unknown id in a file, a profile or a link is compared with the known ids through an index of
their character trigrams, never with every id in turn: the cost of one lookup is bounded by
``MAX_POSTINGS`` per trigram and ``MAX_CANDIDATES`` compared in full, whatever the size of the
ladder. Callers that report many unknown words cap how many they look up.

Examples
--------
>>> matches = CloseMatches(["python", "postgresql", "php"])
>>> matches("pyton")
['python']
>>> matches("zzz")
[]
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable

__all__ = ["MAX_CANDIDATES", "MAX_POSTINGS", "CloseMatches"]

#: A trigram shared by more words than this tells little about which is meant: skipped.
MAX_POSTINGS = 400
#: The words sharing most trigrams with the query that are compared in full.
MAX_CANDIDATES = 40
#: The longest query looked at (ids are at most 64 characters).
MAX_QUERY = 80


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class CloseMatches:
    """The words of a fixed collection closest to a query, found through a trigram index."""

    def __init__(self, words: Iterable[str]):
        self._words: tuple[str, ...] = tuple(dict.fromkeys(words))
        postings: dict[str, list[int]] = {}
        for i, word in enumerate(self._words):
            for gram in _trigrams(word.casefold()):
                postings.setdefault(gram, []).append(i)
        self._postings = {g: tuple(ids) for g, ids in postings.items()}

    def __len__(self) -> int:
        return len(self._words)

    def __call__(self, query: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
        """At most ``n`` words whose similarity to ``query`` is at least ``cutoff``, best first."""
        folded = query.casefold()[:MAX_QUERY]
        shared: Counter[int] = Counter()
        for gram in _trigrams(folded):
            ids = self._postings.get(gram, ())
            if len(ids) <= MAX_POSTINGS:
                shared.update(ids)
        candidates = [self._words[i] for i, _count in shared.most_common(MAX_CANDIDATES)]
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(folded)
        scored = []
        for word in candidates:
            matcher.set_seq1(word.casefold())
            if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
                ratio = matcher.ratio()
                if ratio >= cutoff:
                    scored.append((-ratio, word))
        scored.sort()
        return [word for _ratio, word in scored[:n]]
