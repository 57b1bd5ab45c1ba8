"""Indonesian-aware text similarity: synonyms, stop words, Sastrawi stemming, TF-IDF."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .synonyms import CANONICAL, LABELS, join_phrases

_TOKEN = re.compile(r"[a-z][a-z0-9]*")
# Words every proposal uses; they say nothing about what is needed or offered.
DOMAIN_STOP_WORDS = frozenset(
    """warga kampung rw rt kelurahan kemantren kecamatan kota yogyakarta jogja yogya diy
    bantuan bantu program kegiatan mohon butuh perlu usul usulan paket unit buah orang kk
    keluarga rp rupiah juta ribu total sebanyak kurang lebih sekitar jumlah kami kita mereka
    wilayah daerah lokasi tahun bulan minggu hari untuk dengan dari pada oleh serta csr tjsl
    tslp dana kebutuhan penawaran menawarkan ditawarkan siap sedia tersedia sasaran""".split()
)


class Analyzer:
    """Turns a text into tokens: lower case, synonym phrases, stop words, cached stems.

    Stemming is the slow part (Sastrawi is pure Python), so each distinct word is stemmed
    once and remembered; `display` keeps a readable surface form per token for the reasons.
    """

    def __init__(self) -> None:
        from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        self._stemmer = StemmerFactory().create_stemmer()
        self._stop = frozenset(StopWordRemoverFactory().get_stop_words()) | DOMAIN_STOP_WORDS
        self._cache: dict[str, str | None] = {}
        self.display: dict[str, str] = dict(LABELS)

    def token(self, word: str) -> str | None:
        """The term for one lower-case word, or None for a stop word."""
        try:
            return self._cache[word]
        except KeyError:
            pass
        if word in CANONICAL:
            term: str | None = CANONICAL[word]
        elif word in self._stop or len(word) < 3:
            term = None
        else:
            term = self._stemmer.stem(word) or None
            if term in self._stop or (term is not None and len(term) < 3):
                term = None
        self._cache[word] = term
        if term is not None:
            self.display.setdefault(term, word)
        return term

    def __call__(self, text: str) -> list[str]:
        words = join_phrases(_TOKEN.findall(text.lower()))
        cache = self._cache
        out = []
        for word in words:
            term = cache[word] if word in cache else self.token(word)
            if term is not None:
                out.append(term)
        return out


class TextModel:
    """A fitted TF-IDF space shared by needs and offers (sublinear tf, l2-normalised rows).

    `fitted` holds the vectors of the fitting corpus, so it is analysed only once.
    """

    def __init__(self, corpus: Sequence[str], analyzer: Analyzer | None = None):
        self.analyzer = analyzer or Analyzer()
        self._vectorizer = TfidfVectorizer(
            analyzer=self.analyzer, sublinear_tf=True, dtype=np.float32, min_df=1
        )
        try:
            self.fitted = self._vectorizer.fit_transform(corpus).tocsr()
        except ValueError:  # nothing but stop words anywhere: keep an empty, usable space
            self._vectorizer.fit(["kosong"])
            self.fitted = sp.csr_matrix((len(corpus), 1), dtype=np.float32)
        self.terms = self._vectorizer.get_feature_names_out()
        self.idf = self._vectorizer.idf_.astype(np.float32)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Rows of unit TF-IDF vectors; words unseen at fit time are ignored."""
        if len(texts) == 0:
            return sp.csr_matrix((0, len(self.terms)), dtype=np.float32)
        return self._vectorizer.transform(texts).tocsr()

    def shared_terms(self, a: sp.csr_matrix, b: sp.csr_matrix, limit: int = 4,
                     row_a: int = 0, row_b: int = 0) -> list[str]:
        """Readable labels of the terms row `row_a` of a and row `row_b` of b share, strongest first.

        Works on the raw CSR arrays: slicing a scipy row costs more than the whole comparison.
        """
        sa = slice(a.indptr[row_a], a.indptr[row_a + 1])
        sb = slice(b.indptr[row_b], b.indptr[row_b + 1])
        common, ia, ib = np.intersect1d(a.indices[sa], b.indices[sb], assume_unique=True,
                                        return_indices=True)
        if common.size == 0:
            return []
        order = np.argsort(-(a.data[sa][ia] * b.data[sb][ib]), kind="stable")[:limit]
        display = self.analyzer.display
        return [display.get(t, t) for t in self.terms[common[order]].tolist()]


def shared_terms_many(model: TextModel, a: sp.csr_matrix, b: sp.csr_matrix, rows_a: np.ndarray,
                      rows_b: np.ndarray, limit: int = 3) -> list[list[str]]:
    """shared_terms for many pairs at once (row rows_a[k] of a with row rows_b[k] of b).

    One sparse elementwise product finds every shared term of every pair; per-pair Python
    work is then a slice. Reasons for 100k proposals took 5 s one pair at a time.
    """
    if len(rows_a) == 0:
        return []
    both = a[rows_a].multiply(b[rows_b]).tocsr()
    both.sort_indices()  # ties then fall back to term order, as in shared_terms
    counts = np.diff(both.indptr)
    pair = np.repeat(np.arange(len(rows_a)), counts)
    # Products of unit-vector components lie in (0, 1]: pair * 4 - value sorts by pair, then
    # strongest shared term first.
    order = np.argsort(pair * 4.0 - both.data, kind="stable")
    position = np.arange(order.size) - np.repeat(both.indptr[:-1], counts)
    top = order[position < limit]
    display = model.analyzer.display
    labels = [display.get(t, t) for t in model.terms[both.indices[top]].tolist()]
    bounds = np.searchsorted(pair[top], np.arange(len(rows_a) + 1))
    return [labels[bounds[k]:bounds[k + 1]] for k in range(len(rows_a))]


def document(title: str, description: str) -> str:
    """The text compared for a need or offer; the title is repeated because it is the gist."""
    return f"{title}. {title}. {description}"
