"""Sentences to bag-of-words vectors.

A word is a run of letters or digits, lower-cased; an apostrophe inside a word
keeps it whole ("didn't" is one word). Every other character (punctuation,
spaces, symbols) only separates words and is dropped, so "Great!" and "great"
are the same word. The vocabulary is the sorted set of the training
sentences' words; a sentence becomes a vector with a 1 for each vocabulary
word it contains (presence, not counts, so every input stays in [0, 1]).
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import numpy as np

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def words(sentence: str) -> list[str]:
    """The words of ``sentence``, lower-cased, in order."""
    return _WORD.findall(sentence.lower())


def vocabulary(sentences: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({w for s in sentences for w in words(s)}))


def encode(sentence: str, vocab: Sequence[str]) -> tuple[np.ndarray, list[str], list[str]]:
    """(vector, known words, unknown words) for ``sentence``; unknown words are ignored."""
    index = {w: i for i, w in enumerate(vocab)}
    vector = np.zeros(len(vocab))
    known: list[str] = []
    unknown: list[str] = []
    for w in words(sentence):
        if w in index:
            vector[index[w]] = 1.0
            if w not in known:
                known.append(w)
        elif w not in unknown:
            unknown.append(w)
    return vector, known, unknown
