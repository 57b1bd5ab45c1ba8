"""Indonesian-aware text similarity: local-language bridge, typo repair, synonyms, stop words,
Sastrawi stemming, TF-IDF."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .lexicon import Bridge, load_bridge, load_lexicon
from .synonyms import CANONICAL, IMPLIES, LABELS, join_phrases

_TOKEN = re.compile(r"[a-z][a-z0-9]*")
# Words every proposal uses; they say nothing about what is needed or offered.
DOMAIN_STOP_WORDS = frozenset(
    """warga kampung rw rt kelurahan kemantren kecamatan kota yogyakarta jogja yogya diy
    bantuan bantu program kegiatan mohon butuh perlu usul usulan paket unit buah orang kk
    keluarga rp rupiah juta ribu total sebanyak kurang lebih sekitar jumlah kami kita mereka
    wilayah daerah lokasi tahun bulan minggu hari untuk dengan dari pada oleh serta csr tjsl
    tslp dana kebutuhan penawaran menawarkan ditawarkan siap sedia tersedia sasaran""".split()
)


# Evidence (TextModel.evidence_rows): a product of O x EVIDENCE_OBJECT + K x EVIDENCE_KIND + W
# for O shared strong terms, K shared kind-of-help words and W shared weak words (fewer weak
# words than EVIDENCE_KIND exist in lexicon.csv; a test checks it).
EVIDENCE_OBJECT, EVIDENCE_KIND = 4096.0, 64.0


def evidence(product: np.ndarray) -> np.ndarray:
    """Per pair from its evidence product: 0 = no strong term shared (not relevant); 1 = only
    one kind-of-help word and nothing else shared; 2 = more (a strong term that is not a kind
    word, or a kind word with any other word).

    A thing both texts name (seragam, buku) is evidence of the same need only when the kind of
    help agrees or something else agrees too: a drumband's uniforms are not a school-costs
    fund's uniforms. Relevance needs 1 or 2; a pair of another kind of help needs 2. With
    W < EVIDENCE_KIND the levels are plain thresholds: exactly EVIDENCE_KIND is one kind word.
    """
    product = np.asarray(product)
    return ((product >= EVIDENCE_KIND).astype(np.int8) + (product > EVIDENCE_KIND)).astype(np.int8)


SHARED_CHUNK = 20_000          # pairs per sparse product in shared_terms_many
TYPO_MIN_SIMILARITY = 0.62   # cosine of character 2-3-grams for a misspelling to be repaired
TYPO_MIN_LENGTH = 4
# Longest first: "mem" before "me". Indonesian di-, ke-, ter-, ber-, me(m/n/ng)-, pe(r)-; Javanese
# nge-, ng-, di-, ke-, ka-.
VERB_PREFIXES = ("meng", "mem", "men", "nge", "ber", "ter", "per", "me", "di", "ke", "ka", "pe", "ng")


class Analyzer:
    """Turns a text into tokens: lower case, local-language bridge, synonym phrases, stop
    words, typo repair, cached stems.

    Stemming is the slow part (Sastrawi is pure Python), so each distinct word is stemmed
    once and remembered; `display` keeps a readable surface form per token for the reasons.

    Typos: a word that is neither in the Indonesian root dictionary, nor bridged, nor a word of
    the reference texts (the offers) is compared by character 2-3-grams with the reference
    words; the closest one with the same first letter and cosine >= TYPO_MIN_SIMILARITY
    replaces it ("bocr" -> "bocor", "modl" -> "modal", "tlur" -> "telur").
    """

    def __init__(self, bridge: Bridge | None = None) -> None:
        from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        self._stemmer = StemmerFactory().create_stemmer()
        self._dictionary = self._stemmer.delegatedStemmer.dictionary
        self._stop = frozenset(StopWordRemoverFactory().get_stop_words()) | DOMAIN_STOP_WORDS
        self._cache: dict[str, str | None] = {}
        # word as written (after bridge and phrases) -> its terms (correction, stem, implied
        # parts applied): a text's terms are then one C-level chain over its words. Cleared
        # whenever a correction is learned.
        self._expanded: dict[str, tuple[str, ...]] = {}
        self.bridge = bridge or load_bridge()
        self._own = load_lexicon().own_terms
        self.display: dict[str, str] = dict(LABELS)
        self.corrections: dict[str, str] = {}
        self._reference: set[str] = set()
        self._ngrams = None
        self._reference_list: list[str] = []
        self._reference_matrix = None

    def words(self, text: str) -> list[str]:
        """Lower-case words of a text, as written."""
        return _TOKEN.findall(text.lower())

    def bridged(self, words: list[str]) -> list[str]:
        """Words with the local-language bridge applied (for the severity and kind lexicon)."""
        return self.bridge.apply(words)

    def _normalised(self, words: list[str]) -> list[str]:
        # The bridge first, then synonym phrases (a bridged "kmr mandi" reads "kamar mandi").
        # Bridge entries must not break synonym phrases (tests/unit/matching/test_matching_lexicon.py).
        return join_phrases(self.bridge.apply(words))

    def learn_reference(self, documents: Sequence[list[str]], others: Sequence[list[str]] = (),
                        normalised: bool = False) -> None:
        """Remember the words of the reference texts (offers) and repair typos among all words."""
        norm = (lambda doc: doc) if normalised else self._normalised
        reference = {w for doc in documents for w in norm(doc)}
        reference |= {w for w in CANONICAL if " " not in w}
        reference |= self.bridge.target_words
        self._reference = reference
        self._reference_list = sorted(w for w in reference if len(w) >= TYPO_MIN_LENGTH
                                      and w not in self._stop and not w[0].isdigit())
        self._ngrams = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), dtype=np.float32)
        if self._reference_list:
            self._reference_matrix = self._ngrams.fit_transform(self._reference_list).T.tocsr()
        seen = {w for doc in others for w in norm(doc)}
        unknown = sorted(w for w in seen if self._maybe_typo(w))
        self._repair(unknown)

    def _maybe_typo(self, word: str) -> bool:
        return (len(word) >= TYPO_MIN_LENGTH and word not in self._reference and word not in self._stop
                and word not in CANONICAL and word not in self.corrections and not word[0].isdigit()
                and not self._dictionary.contains(word))

    def _repair(self, words: list[str]) -> None:
        if not words or self._reference_matrix is None:
            return
        words = [w for w in words if not self._dictionary.contains(self._stemmer.stem(w))]
        if not words:
            return
        words = [w for w in words if not self._strip_prefix(w)]
        if not words:
            return
        sims = (self._ngrams.transform(words) @ self._reference_matrix).tocsr()
        for row, word in enumerate(words):
            lo, hi = sims.indptr[row], sims.indptr[row + 1]
            if lo == hi:
                continue
            cols, vals = sims.indices[lo:hi], sims.data[lo:hi]
            for k in np.argsort(-vals, kind="stable")[:3].tolist():
                candidate = self._reference_list[cols[k]]
                if vals[k] >= TYPO_MIN_SIMILARITY and candidate[0] == word[0]:
                    self.corrections[word] = candidate
                    self._expanded.clear()
                    break

    def _strip_prefix(self, word: str) -> bool:
        """An Indonesian or Javanese verb prefix on a word the offers use ("dipaving", "dicor",
        "ngecor"): Sastrawi strips prefixes only from the roots it knows, so loanwords keep
        theirs. The bare word replaces it; True if one was found."""
        for prefix in VERB_PREFIXES:
            rest = word[len(prefix):]
            if word.startswith(prefix) and len(rest) >= TYPO_MIN_LENGTH and rest in self._reference:
                self.corrections[word] = rest
                self._expanded.clear()
                return True
        return False

    def token(self, word: str) -> str | None:
        """The term for one lower-case word, or None for a stop word."""
        try:
            return self._cache[word]
        except KeyError:
            pass
        if self._ngrams is not None and self._maybe_typo(word):
            self._repair([word])  # a word first seen after fitting (incremental path)
        word = self.corrections.get(word, word)
        if word in CANONICAL:
            term: str | None = CANONICAL[word]
        elif word in self._stop or len(word) < 3:
            term = None
        elif word in self._own:   # reviewed: its root would join it with another kind of word
            term = word
        else:
            term = self._stemmer.stem(word) or None
            if term in self._stop or (term is not None and len(term) < 3):
                term = None
        self._cache[word] = term
        if term is not None:
            self.display.setdefault(term, word)
        return term

    def tokens(self, words: list[str], normalised: bool = False) -> list[str]:
        """Terms of a text's words (see `words`); `normalised` when bridge and phrases are applied.

        Each distinct word is looked up once (`_expand`); a text is then joined from its words'
        terms without a Python step per word (the per-word loop was a tenth of a 20k x 10k run).
        """
        if not normalised:
            words = self._normalised(words)
        expanded = self._expanded
        try:
            return list(chain.from_iterable(map(expanded.__getitem__, words)))
        except KeyError:
            pass
        out: list[str] = []
        for word in words:
            terms = expanded.get(word)
            if terms is None:
                terms = self._expand(word)
                expanded[word] = terms
            out.extend(terms)
        return out

    def _expand(self, word: str) -> tuple[str, ...]:
        """The terms of one word: its correction, its term, the parts that term implies."""
        word = self.corrections.get(word, word)
        term = self._cache[word] if word in self._cache else self.token(word)
        if term is None:
            return ()
        return (term, *IMPLIES[term]) if term in IMPLIES else (term,)

    def __call__(self, text: str) -> list[str]:
        return self.tokens(self.words(text))


def _given(tokens: list[str]) -> list[str]:
    """The vectoriser's analyzer when documents arrive already tokenised."""
    return tokens


class TextModel:
    """A fitted TF-IDF space shared by needs and offers (sublinear tf, l2-normalised rows).

    `fitted` holds the vectors of the fitting corpus, so it is analysed only once;
    `fitted_bridged` its bridged words (for the severity and kind-of-help lexicon), and
    `fitted_changed` whether the bridge rewrote any word of each. The first
    `n_reference` documents (the offers) are the vocabulary typos are repaired towards.
    """

    def __init__(self, corpus: Sequence[str], analyzer: Analyzer | None = None,
                 n_reference: int | None = None):
        self.analyzer = analyzer = analyzer or Analyzer()
        # Word lists of 150,000 texts are large: each is built once and dropped when done.
        bridged, self.fitted_changed = [], []
        for text in corpus:
            words = analyzer.words(text)
            bridged.append(analyzer.bridge.apply(words))
            self.fitted_changed.append(bridged[-1] is not words and bridged[-1] != words)
        joined = [join_phrases(w) for w in bridged]   # what tokens() would compute, done once
        n_reference = len(bridged) if n_reference is None else n_reference
        analyzer.learn_reference(joined[:n_reference], joined[n_reference:], normalised=True)
        self.fitted_bridged = bridged
        self._vectorizer = TfidfVectorizer(
            analyzer=_given, sublinear_tf=True, dtype=np.float32, min_df=1
        )
        docs = [analyzer.tokens(w, normalised=True) for w in joined]
        del joined
        try:
            self.fitted = self._vectorizer.fit_transform(docs).tocsr()
            del docs
        except ValueError:  # nothing but stop words anywhere: keep an empty, usable space
            self._vectorizer.fit([["kosong"]])
            self.fitted = sp.csr_matrix((len(corpus), 1), dtype=np.float32)
        self.terms = self._vectorizer.get_feature_names_out()
        self.idf = self._vectorizer.idf_.astype(np.float32)
        self.factor = self._term_factors()
        # Terms that are evidence on their own: every term but the lexicon's weak words.
        self.strong = self.factor >= 1 if self.factor is not None else np.ones(len(self.terms), dtype=bool)
        self.kind_terms = self._kind_terms() & self.strong
        if self.factor is not None:
            self.fitted = self._reweight(self.fitted)
        reference = self.fitted[:n_reference]
        self.reference_terms = np.zeros(len(self.terms), dtype=np.float32)
        self.reference_terms[np.unique(reference.indices)] = 1.0

    def restrict(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        """Rows kept to the terms the reference texts (offers) use, re-normalised.

        A need's names and stories ("Mbah Painem", "urip dhewe") can match no offer; left in,
        they only shrink every cosine of a talkative need below the relevance gate.
        """
        from sklearn.preprocessing import normalize

        matrix = matrix.tocsr(copy=True)
        if matrix.shape[0] == 0:
            return matrix
        matrix.data *= self.reference_terms[matrix.indices]
        matrix.eliminate_zeros()
        return normalize(matrix, norm="l2", copy=False).astype(np.float32)

    def evidence_rows(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        """Rows whose product with `term_rows` of the other side counts the shared terms by
        sort: EVIDENCE_OBJECT per strong term that is not a kind-of-help word, EVIDENCE_KIND per
        kind-of-help word (seragam, buku, upah ...), 1 per weak word (see `evidence`)."""
        matrix = matrix.tocsr(copy=True)
        cols = matrix.indices
        matrix.data = np.where(self.kind_terms[cols], EVIDENCE_KIND,
                               np.where(self.strong[cols], EVIDENCE_OBJECT, 1)).astype(np.float32)
        return matrix

    @staticmethod
    def term_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
        """0/1 rows marking each row's terms."""
        matrix = matrix.tocsr(copy=True)
        matrix.data = np.ones_like(matrix.data)
        return matrix

    def _kind_terms(self) -> np.ndarray:
        """Per term: is it a kind-of-help word of the lexicon (asks_* groups, single words)?"""
        index = {t: k for k, t in enumerate(self.terms.tolist())}
        out = np.zeros(len(self.terms), dtype=bool)
        for word in load_lexicon().kind_words():
            for term in self.analyzer(word):
                if term in index:
                    out[index[term]] = True
        return out

    def _term_factors(self) -> np.ndarray | None:
        """Per term, the factor of the lexicon's weak words (1 for every other term)."""
        from .lexicon import load_lexicon

        index = {t: k for k, t in enumerate(self.terms.tolist())}
        factor = np.ones(len(self.terms), dtype=np.float32)
        for word, weight in load_lexicon().weak_terms().items():
            for term in self.analyzer(word):
                if term in index:
                    factor[index[term]] = min(factor[index[term]], weight)
        return factor if (factor < 1).any() else None

    def _reweight(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        from sklearn.preprocessing import normalize

        matrix = matrix.tocsr(copy=True)
        if matrix.shape[0] == 0:
            return matrix
        matrix.data *= self.factor[matrix.indices]
        return normalize(matrix, norm="l2", copy=False).astype(np.float32)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Rows of unit TF-IDF vectors; words unseen at fit time are ignored."""
        if len(texts) == 0:
            return sp.csr_matrix((0, len(self.terms)), dtype=np.float32)
        out = self._vectorizer.transform([self.analyzer(t) for t in texts]).tocsr()
        return self._reweight(out) if self.factor is not None else out

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
    if len(rows_a) > SHARED_CHUNK:  # bounded temporaries: row copies of 200k pairs cost 100+ MB
        out: list[list[str]] = []
        for start in range(0, len(rows_a), SHARED_CHUNK):
            out.extend(shared_terms_many(model, a, b, rows_a[start:start + SHARED_CHUNK],
                                         rows_b[start:start + SHARED_CHUNK], limit))
        return out
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
