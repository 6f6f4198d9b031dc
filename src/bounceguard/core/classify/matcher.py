"""One compiled Aho-Corasick automaton over every reason module's wording.

All phrases, pair words and exclusions go into a single automaton, so one pass over
the text finds every hit whatever the number of rules; pairs are then checked from
the recorded positions (first word must end before the second starts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

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
# Continuation markers of multi-line replies folded into one line ("... 550-5.7.1 more text").
_REPLY_MARKER = re.compile(r"(?<![\w.])[245]\d\d[ \-]#?(?:[245]\.\d{1,3}\.\d{1,3}(?!\S))?")


@dataclass(frozen=True, slots=True)
class TextMatch:
    reason: Reason
    evidence: str  # the phrase, or "first ... second"
    priority: int


def normalize(text: str) -> str:
    """Lower-case and collapse whitespace, the form the wording tables are written in."""
    return " ".join(_REPLY_MARKER.sub(" ", text[:MAX_TEXT].lower()).split())


class WordingMatcher:
    """Finds the highest-priority reason whose wording appears in a text."""

    def __init__(self, rules: Sequence[ReasonRule]) -> None:
        self._rules = tuple(rules)  # highest priority first
        words: dict[str, int] = {}

        def word_id(word: str) -> int:
            word = " ".join(word.lower().split())
            if not word:
                raise ValueError("empty phrase in a reason rule")
            if word not in words:
                words[word] = len(words)
            return words[word]

        # word id -> what a hit on it means, by rule index (lower index = higher priority)
        self._phrase_hits: dict[int, list[tuple[int, str]]] = {}
        self._pair_hits: dict[int, list[tuple[int, int, str]]] = {}  # keyed by the second word
        self._exclude_hits: dict[int, list[int]] = {}
        for i, rule in enumerate(self._rules):
            for phrase in rule.phrases:
                self._phrase_hits.setdefault(word_id(phrase), []).append((i, phrase))
            for a, b in rule.pairs:
                self._pair_hits.setdefault(word_id(b), []).append((i, word_id(a), f"{a} ... {b}"))
            for x in rule.excludes:
                self._exclude_hits.setdefault(word_id(x), []).append(i)
        self._automaton = ahocorasick.Automaton()
        for word, wid in words.items():
            # Phrases match at the start of a word ("uce" is not in "reduce"); very short
            # tokens must also end a word ("rbl" is not "rblx").
            self._automaton.add_word(word, (wid, len(word), len(word) <= SHORT_TOKEN))
        self._lengths = [0] * len(words)
        for word, wid in words.items():
            self._lengths[wid] = len(word)
        if words:
            self._automaton.make_automaton()
        self._empty = not words

    def match(self, normalized: str) -> TextMatch | None:
        """The best reason for an already-normalized text, or None."""
        if self._empty or not normalized:
            return None
        ends: dict[int, list[int]] = {}  # word id -> end index of every hit
        last = len(normalized) - 1
        for end, (wid, length, whole) in self._automaton.iter(normalized):
            start = end - length + 1
            if start > 0 and normalized[start - 1].isalnum() and normalized[start].isalnum():
                continue
            if whole and end < last and normalized[end + 1].isalnum():
                continue
            hit = ends.get(wid)
            if hit is None:
                ends[wid] = [end]
            else:
                hit.append(end)
        if not ends:
            return None
        excluded: set[int] = set()
        if self._exclude_hits:
            for wid in ends:
                excluded.update(self._exclude_hits.get(wid, ()))
        best = len(self._rules)
        evidence = ""
        for wid in ends:
            for i, phrase in self._phrase_hits.get(wid, ()):
                if i < best and i not in excluded:
                    best, evidence = i, phrase
            for i, a, pair in self._pair_hits.get(wid, ()):
                if i < best and i not in excluded and a in ends and self._in_order(ends[a], ends[wid], wid):
                    best, evidence = i, pair
        if best == len(self._rules):
            return None
        rule = self._rules[best]
        return TextMatch(rule.reason, evidence, rule.priority)

    def _in_order(self, first_ends: list[int], second_ends: list[int], second: int) -> bool:
        """Some hit of the first word ends before, and at most PAIR_GAP characters before,
        some hit of the second word starts."""
        length = self._lengths[second]
        for b_end in second_ends:
            b_start = b_end - length + 1
            for a_end in first_ends:
                if a_end < b_start <= a_end + 1 + PAIR_GAP:
                    return True
        return False
