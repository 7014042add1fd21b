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
from collections.abc import Iterable, Sequence

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
    found = dict.fromkeys(words(sentence))  # each word once, in order (a dict: a long sentence stays linear)
    known = [w for w in found if w in index]
    unknown = [w for w in found if w not in index]
    vector[[index[w] for w in known]] = 1.0
    return vector, known, unknown


def encode_all(sentences: Sequence[str], vocab: Sequence[str]) -> np.ndarray:
    """One row per sentence, as ``encode`` makes it; the word index is built once, not per sentence."""
    index = {w: i for i, w in enumerate(vocab)}
    matrix = np.zeros((len(sentences), len(vocab)))
    for row, sentence in enumerate(sentences):
        matrix[row, [index[w] for w in words(sentence) if w in index]] = 1.0
    return matrix
