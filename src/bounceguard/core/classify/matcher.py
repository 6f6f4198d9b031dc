"""One compiled Aho-Corasick automaton over every reason module's wording.

Texts and phrases are folded the same way (lower case, punctuation to blanks, blanks
collapsed, one blank at each end), and every phrase is stored with a leading blank, so a
phrase only matches at the start of a word ("uce" is not in "reduce") without any
per-hit check; phrases of up to SHORT_TOKEN characters also carry a trailing blank
("rbl" is not "rblx"). The best phrase is then found by C-level reductions over the hits;
only when an ordered word pair or an exclusion could change the answer are positions
examined in Python.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

import ahocorasick

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

# Texts longer than this are cut before matching: receivers put the decisive words
# first, and a bound keeps the cost of hostile input linear and small.
MAX_TEXT = 2048
# Phrases this short must be whole words.
SHORT_TOKEN = 3
# The words of a pair must be this close ("mailbox ... is full", not two sentences apart).
PAIR_GAP = 40
# Rules below this priority hold generic words ("rejected", "blocked"): a status code
# that leans towards a reason outranks them.
GENERIC_PRIORITY = 30

_NONE = 1 << 30  # "no rule": larger than any rule index
_FOLD = str.maketrans(dict.fromkeys(string.punctuation, " "))
_WID = itemgetter(1)


@dataclass(frozen=True, slots=True)
class TextMatch:
    reason: Reason
    evidence: str  # the phrase as written in its module, or "first ... second"
    priority: int


def normalize(text: str) -> str:
    """The folded form matching works on: " lower case words without punctuation "."""
    return f" {' '.join(text[:MAX_TEXT].lower().translate(_FOLD).split())} "


def _key(phrase: str) -> str:
    folded = normalize(phrase)
    if folded == "  ":
        raise ValueError(f"phrase {phrase!r} has no words")
    return folded if len(folded) - 2 <= SHORT_TOKEN else folded[:-1]


class WordingMatcher:
    """Finds the highest-priority reason whose wording appears in a text."""

    def __init__(self, rules: Sequence[ReasonRule]) -> None:
        self._rules = tuple(rules)  # highest priority first
        ids: dict[str, int] = {}

        def word_id(phrase: str) -> int:
            return ids.setdefault(_key(phrase), len(ids))

        phrase_hits: dict[int, tuple[int, TextMatch]] = {}
        pairs: dict[int, list[tuple[int, int, TextMatch]]] = {}  # second word -> (rule, first word, match)
        excludes: dict[int, list[int]] = {}
        for i, rule in enumerate(self._rules):
            for phrase in rule.phrases:
                wid = word_id(phrase)
                if wid not in phrase_hits or i < phrase_hits[wid][0]:
                    phrase_hits[wid] = (i, TextMatch(rule.reason, phrase, rule.priority))
            for a, b in rule.pairs:
                first, second = word_id(a), word_id(b)
                pairs.setdefault(second, []).append((i, first, TextMatch(rule.reason, f"{a} ... {b}", rule.priority)))
            for x in rule.excludes:
                excludes.setdefault(word_id(x), []).append(i)

        size = len(ids)
        self._lengths = [0] * size
        for key, wid in ids.items():
            self._lengths[wid] = len(key)
        # Per word id: best rule having it as a phrase, and the best rule a pair ending in it could give.
        self._phrase_rule = [phrase_hits[w][0] if w in phrase_hits else _NONE for w in range(size)]
        self._phrase_match = [phrase_hits[w][1] if w in phrase_hits else None for w in range(size)]
        self._pair_rule = [min(p[0] for p in pairs[w]) if w in pairs else _NONE for w in range(size)]
        self._pairs = {w: tuple(sorted(p, key=itemgetter(0))) for w, p in pairs.items()}
        self._excludes = {w: frozenset(r) for w, r in excludes.items()}
        self._exclude_words = frozenset(excludes)
        self._automaton = ahocorasick.Automaton()
        for key, wid in ids.items():
            self._automaton.add_word(key, wid)
        if ids:
            self._automaton.make_automaton()
        self._empty = not ids

    def match(self, normalized: str) -> TextMatch | None:
        """The best reason for a text already passed through `normalize`, or None."""
        if self._empty:
            return None
        hits = list(self._automaton.iter(normalized))
        if not hits:
            return None
        wids = list(map(_WID, hits))
        best = min(map(self._phrase_rule.__getitem__, wids))
        vetoed = self._exclude_words and not self._exclude_words.isdisjoint(wids)
        if not vetoed and min(map(self._pair_rule.__getitem__, wids)) >= best:
            return self._phrase_match[self._first_with_rule(wids, best)] if best < _NONE else None
        return self._slow_match(hits)

    def _first_with_rule(self, wids: list[int], rule: int) -> int:
        phrase_rule = self._phrase_rule
        for wid in wids:
            if phrase_rule[wid] == rule:
                return wid
        raise AssertionError("unreachable: rule came from these words")

    def _slow_match(self, hits: list[tuple[int, int]]) -> TextMatch | None:
        """Pairs and exclusions: positions matter, so look at every hit."""
        ends: dict[int, list[int]] = {}
        for end, wid in hits:
            ends.setdefault(wid, []).append(end)
        excluded: frozenset[int] | set[int] = frozenset()
        if self._exclude_words:
            excluded = set()
            for wid in self._exclude_words.intersection(ends):
                excluded |= self._excludes[wid]
        best = _NONE
        found: TextMatch | None = None
        for wid, second_ends in ends.items():
            rule = self._phrase_rule[wid]
            if rule < best and rule not in excluded:
                best, found = rule, self._phrase_match[wid]
            for i, first, pair in self._pairs.get(wid, ()):
                if i >= best:
                    break
                if i not in excluded and first in ends and self._close(ends[first], second_ends, wid):
                    best, found = i, pair
                    break
        return found

    def _close(self, first_ends: list[int], second_ends: list[int], second: int) -> bool:
        """Some hit of the first word ends before, and at most PAIR_GAP characters before,
        some hit of the second word starts."""
        length = self._lengths[second]
        for b_end in second_ends:
            b_start = b_end - length + 1
            for a_end in first_ends:
                if a_end < b_start <= a_end + 1 + PAIR_GAP:
                    return True
        return False
