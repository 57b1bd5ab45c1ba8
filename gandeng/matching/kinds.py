"""What a need asks for and what an offer gives, beyond the category; the condition a need describes.

From the words (after the local-language bridge), with the reviewed lexicon (lexicon.csv):

- a need *asks* for kinds of help: money (`dana`: fees, wages, capital), goods (`barang`:
  materials, equipment, food), people (`jasa`: builders, tutors, visits), skills
  (`pelatihan`) or a buyer (`pembelian`). A word followed or preceded closely by "sudah",
  "swadaya" or "gotong" is already covered ("tukang swadaya warga", "bahan sudah ada");
- an offer *gives* its declared kind plus the kinds its own words name ("hibah tensimeter");
- an offer's *exclusions* ("Tidak untuk rumah pribadi", "Tidak termasuk upah tukang", "kecuali
  ...") name what it will not fund: a need that mentions the head word of an excluded item
  (Indonesian puts the head first: *rumah* pribadi, *upah* tukang) is never paired with it,
  and the clause is left out of the offer's text so it does not attract those very needs;
- a need's *severity* in 0..1: 0.4 plus the weights of condition words (roboh, bocor,
  mampet, tercemar, banjir, sakit, numpang tetangga ...) minus those of comfort words
  (biar bagus, masih berfungsi, lebih nyaman ...).
"""

from __future__ import annotations

import re

import numpy as np

from .lexicon import ASK_GROUPS, Lexicon, load_lexicon
from .model import OFFER_KINDS

SEVERITY_BASE = 0.4
ASK_THRESHOLD = 1.0          # summed weights of a kind's words for the need to ask for it
COVERED_WORDS = frozenset({"sudah", "swadaya", "gotong", "tersedia"})
COVERED_AFTER, COVERED_BEFORE = 3, 2
# KIND_FIT[asked][given]: how well an offer giving `given` serves a need asking `asked`.
# Money buys goods, so cash serves a need for materials (a goods offer fits it exactly); goods
# never pay fees or capital.
KIND_FIT = {
    "dana":      {"dana": 1.0, "barang": 0.3, "jasa": 0.3, "pelatihan": 0.2, "pembelian": 0.3},
    "barang":    {"dana": 0.9, "barang": 1.0, "jasa": 0.5, "pelatihan": 0.3, "pembelian": 0.3},
    "jasa":      {"dana": 0.8, "barang": 0.4, "jasa": 1.0, "pelatihan": 0.8, "pembelian": 0.3},
    "pelatihan": {"dana": 0.6, "barang": 0.4, "jasa": 0.8, "pelatihan": 1.0, "pembelian": 0.3},
    "pembelian": {"dana": 0.5, "barang": 0.3, "jasa": 0.4, "pelatihan": 0.5, "pembelian": 1.0},
}
KIND_INDEX = {k: i for i, k in enumerate(OFFER_KINDS)}
RIGHT_KIND = 0.95            # a fit below this is "bukan jenis bantuan yang diminta"
NAMED_KIND = 0.95            # a kind only named in the offer's words, not its declared kind
_EXCLUSION = re.compile(
    r"\b(?:tidak|bukan|tdk)\s+(?:untuk|termasuk|mencakup|memberikan|menerima|bagi|melayani|"
    r"diberikan\s+untuk)\s+([^.;:!?]+)|\bkecuali\s+([^.;:!?]+)", re.IGNORECASE)
_CONDITION = re.compile(r"\b(?:syarat|persyaratan|dengan syarat|asalkan|ketentuan)\s*:?\s*([^.;!?]+)", re.IGNORECASE)
# Every clause of _EXCLUSION and _CONDITION holds one of these (lower case).
_CLAUSE_WORDS = ("tidak", "bukan", "tdk", "kecuali", "syarat", "asalkan", "ketentuan")
_ITEM_SPLIT = re.compile(r",|\batau\b|\bdan\b|/|\bmaupun\b")


_BITS: dict[tuple[str, ...], int] = {}


def _kind_bits(kinds) -> int:
    """Bit mask over OFFER_KINDS (remembered per tuple: a run asks it for every need and offer)."""
    key = tuple(kinds)
    bits = _BITS.get(key)
    if bits is None:
        bits = _BITS[key] = sum(1 << KIND_INDEX[k] for k in key)
    return bits


def _fit_table() -> np.ndarray:
    """fit[asked_bits, given_bits]: best fit over the asked and given kinds (1 when none asked)."""
    n = 1 << len(OFFER_KINDS)
    table = np.ones((n, n), dtype=np.float32)
    for asked in range(1, n):
        for given in range(1, n):
            table[asked, given] = max(KIND_FIT[a][g] for a in OFFER_KINDS if asked >> KIND_INDEX[a] & 1
                                      for g in OFFER_KINDS if given >> KIND_INDEX[g] & 1)
    return table


FIT_TABLE = _fit_table()


def asked_kinds(words: list[str], lexicon: Lexicon | None = None) -> tuple[str, ...]:
    """Kinds of help the words ask for, in OFFER_KINDS order."""
    lexicon = lexicon or load_lexicon()
    totals = dict.fromkeys(ASK_GROUPS, 0.0)
    for start, length, (_, _, ask_items) in lexicon.need_terms.matches(words):  # type: ignore[misc]
        if not ask_items:
            continue
        around = words[max(0, start - COVERED_BEFORE):start] + words[start + length:start + length + COVERED_AFTER]
        if COVERED_WORDS.intersection(around):
            continue
        for group, weight in ask_items:
            totals[group] += weight
    return tuple(k for k in OFFER_KINDS if totals["asks_" + k] >= ASK_THRESHOLD)


def severity(words: list[str], raw_words: list[str] = (), lexicon: Lexicon | None = None
             ) -> tuple[float, tuple[str, ...], tuple[str, ...]]:
    """Severity in 0..1, with the condition words and the comfort words found."""
    lexicon = lexicon or load_lexicon()
    severe: dict[str, float] = {}
    comfort: dict[str, float] = {}
    for source in (words, raw_words):
        for group, term, weight in lexicon.hits(list(source)):
            if group == "severe":
                severe.setdefault(term, weight)
            elif group == "comfort":
                comfort.setdefault(term, weight)
    value = SEVERITY_BASE + sum(severe.values()) - sum(comfort.values())
    return float(min(1.0, max(0.0, value))), tuple(severe), tuple(comfort)


def read_need(words: list[str], raw_words: list[str] | None, lexicon: Lexicon | None = None
              ) -> tuple[float, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Severity, condition words, comfort words and asked kinds in one pass over the bridged
    words (plus one over the raw words for condition words the bridge rewrote; None when the
    bridge rewrote nothing)."""
    lexicon = lexicon or load_lexicon()
    severe: dict[str, float] = {}
    comfort: dict[str, float] = {}
    totals = dict.fromkeys(ASK_GROUPS, 0.0)
    sources = ((words, True), (raw_words, False)) if raw_words is not None else ((words, True),)
    for source, asks in sources:
        for start, length, (term, marks, ask_items) in lexicon.need_terms.matches(source):  # type: ignore[misc]
            for is_severe, weight in marks:
                (severe if is_severe else comfort).setdefault(term, weight)
            if asks and ask_items:
                around = (source[max(0, start - COVERED_BEFORE):start]
                          + source[start + length:start + length + COVERED_AFTER])
                if not COVERED_WORDS.intersection(around):
                    for group, weight in ask_items:
                        totals[group] += weight
    value = SEVERITY_BASE + sum(severe.values()) - sum(comfort.values())
    asked = tuple(k for k in OFFER_KINDS if totals["asks_" + k] >= ASK_THRESHOLD)
    return float(min(1.0, max(0.0, value))), tuple(severe), tuple(comfort), asked


def split_exclusions(description: str) -> tuple[str, tuple[str, ...]]:
    """The description without its exclusion and precondition clauses (they say what the offer
    does not give, or asks of the receiver), and the excluded items as written."""
    # Most offers state no clause: no regex at all (ASCII only: IGNORECASE also folds a few
    # non-ASCII letters onto these words).
    if description.isascii() and not any(word in description.lower() for word in _CLAUSE_WORDS):
        return description, ()
    items: list[str] = []
    for found in _EXCLUSION.finditer(description):
        clause = found.group(1) or found.group(2) or ""
        items.extend(i.strip() for i in _ITEM_SPLIT.split(clause) if i.strip())
    return _CONDITION.sub(" ", _EXCLUSION.sub(" ", description)), tuple(items)


def conditions(description: str) -> tuple[str, ...]:
    """Preconditions the offer states ("Syarat: rumah di atas tanah milik sendiri")."""
    return tuple(m.group(1).strip() for m in _CONDITION.finditer(description))


def offer_gives(kind: str, words: list[str], lexicon: Lexicon | None = None) -> tuple[str, ...]:
    """The declared kind plus the kinds the offer's own words name."""
    named = asked_kinds(words, lexicon)
    return tuple(k for k in OFFER_KINDS if k == kind or k in named)


def kind_fit(asked_bits: np.ndarray, declared_bits: np.ndarray, named_bits: np.ndarray) -> np.ndarray:
    """Fit per pair from the bit masks of the asked kinds, the offer's declared kind and the
    kinds its words name (those count NAMED_KIND: the declared kind is what it mainly gives)."""
    named = np.where(named_bits > 0, FIT_TABLE[asked_bits, np.maximum(named_bits, 1)] * NAMED_KIND, 0)
    return np.maximum(FIT_TABLE[asked_bits, declared_bits], named).astype(np.float32)
