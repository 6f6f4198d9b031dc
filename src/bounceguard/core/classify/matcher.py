"""One compiled Aho-Corasick automaton over every reason module's wording.

All phrases, pair words and exclusions go into a single automaton, so one pass over
the text finds every hit whatever the number of rules; pairs are then checked from
the recorded positions (first word must end shortly before the second starts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

# Texts longer than this are cut before matching: receivers put the decisive words
# first, and a bound keeps the cost of hostile input linear and small.
MAX_TEXT = 2048
# Phrases this short must be whole words ("rbl" is not "rblx"); phrases up to
# BOUNDED_START must begin a word ("uce" is not in "reduce").
SHORT_TOKEN = 3
BOUNDED_START = 8
# The words of a pair must be this close ("mailbox ... is full", not two sentences apart).
PAIR_GAP = 40
# Rules below this priority hold generic words ("rejected", "blocked"): a status code
# that leans towards a reason outranks them.
GENERIC_PRIORITY = 30

_NONE = 1 << 30  # "no rule": larger than any rule index


@dataclass(frozen=True, slots=True)
class TextMatch:
    reason: Reason
    evidence: str  # the phrase, or "first ... second"
    priority: int


def normalize(text: str) -> str:
    """Lower-case and collapse whitespace, the form the wording tables are written in."""
    return " ".join(text[:MAX_TEXT].lower().split())


@dataclass(slots=True)
class _Word:
    """What a hit on one automaton word means."""

    length: int
    left_bound: bool
    right_bound: bool
    phrase_rule: int = _NONE  # best (lowest-index) rule having this as a phrase
    phrase: TextMatch | None = None
    pairs: tuple[tuple[int, int, TextMatch], ...] = ()  # as second word: (rule, first word id, match)
    excludes: tuple[int, ...] = ()  # rules this word vetoes


class WordingMatcher:
    """Finds the highest-priority reason whose wording appears in a text."""

    def __init__(self, rules: Sequence[ReasonRule]) -> None:
        self._rules = tuple(rules)  # highest priority first
        ids: dict[str, int] = {}
        words: list[_Word] = []

        def word_id(text: str) -> int:
            word = " ".join(text.lower().split())
            if not word:
                raise ValueError("empty phrase in a reason rule")
            if word not in ids:
                ids[word] = len(words)
                words.append(_Word(len(word), len(word) <= BOUNDED_START, len(word) <= SHORT_TOKEN))
            return ids[word]

        for i, rule in enumerate(self._rules):
            for phrase in rule.phrases:
                w = words[word_id(phrase)]
                if i < w.phrase_rule:
                    w.phrase_rule, w.phrase = i, TextMatch(rule.reason, phrase, rule.priority)
            for a, b in rule.pairs:
                first = word_id(a)
                w = words[word_id(b)]
                w.pairs = (*w.pairs, (i, first, TextMatch(rule.reason, f"{a} ... {b}", rule.priority)))
            for x in rule.excludes:
                w = words[word_id(x)]
                w.excludes = (*w.excludes, i)
        self._words = tuple(words)
        self._has_excludes = any(w.excludes for w in words)
        self._automaton = ahocorasick.Automaton()
        for word, wid in ids.items():
            self._automaton.add_word(word, wid)
        if ids:
            self._automaton.make_automaton()
        self._empty = not ids

    def match(self, normalized: str) -> TextMatch | None:
        """The best reason for an already-normalized text, or None."""
        if self._empty or not normalized:
            return None
        hits = list(self._automaton.iter(normalized))
        if not hits:
            return None
        words = self._words
        last = len(normalized) - 1
        ends: dict[int, list[int]] = {}  # word id -> end index of every hit
        best = _NONE
        found: TextMatch | None = None
        for end, wid in hits:
            w = words[wid]
            if w.left_bound:
                start = end - w.length + 1
                if start > 0 and normalized[start - 1].isalnum() and normalized[start].isalnum():
                    continue
                if w.right_bound and end < last and normalized[end + 1].isalnum():
                    continue
            if wid in ends:
                ends[wid].append(end)
            else:
                ends[wid] = [end]
                if w.phrase_rule < best:
                    best, found = w.phrase_rule, w.phrase
        if not ends:
            return None
        excluded: set[int] = set()
        if self._has_excludes:
            for wid in ends:
                vetoes = words[wid].excludes
                if vetoes:
                    excluded.update(vetoes)
            if best in excluded:
                best, found = _NONE, None
                for wid in ends:
                    w = words[wid]
                    if w.phrase_rule < best and w.phrase_rule not in excluded:
                        best, found = w.phrase_rule, w.phrase
        for wid, second in ends.items():
            for i, first, pair in words[wid].pairs:
                if i < best and i not in excluded and first in ends and self._close(ends[first], second, wid):
                    best, found = i, pair
        return found

    def _close(self, first_ends: list[int], second_ends: list[int], second: int) -> bool:
        """Some hit of the first word ends before, and at most PAIR_GAP characters before,
        some hit of the second word starts."""
        second_length = self._words[second].length
        for b_end in second_ends:
            b_start = b_end - second_length + 1
            for a_end in first_ends:
                if a_end < b_start <= a_end + 1 + PAIR_GAP:
                    return True
        return False
