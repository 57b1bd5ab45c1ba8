"""Reviewed word lists as data: the local-language bridge and the severity / kind-of-help lexicon.

Both live in gandeng/matching/data/ as CSV files city staff can read and edit (docs/matching.md):

- bridge.csv (variant, target, domain, language, source): Javanese and colloquial kampung words,
  chat abbreviations and common misspellings, each mapped to the Indonesian words offers use.
  Applied to needs and offers alike, before stemming, so "banyu sumur butek" reads as "air sumur
  keruh". Multi-word variants ("wong tuwo") are matched on whole words, longest first.
- lexicon.csv (term, group, weight, language, source): words that describe the condition of a
  need (`severe`: collapsed, leaking, blocked, polluted, flooding, illness, borrowing a
  neighbour's facility; `comfort`: beautifying something that still works) and words that say
  which kind of help a need asks for (`asks_dana`, `asks_barang`, `asks_jasa`,
  `asks_pelatihan`, `asks_pembelian`), weak words that say for whom (`for_whom`) or where
  and of which general sort (`setting`) the help is, and words that keep their own term
  instead of their root (`own_term`: belajar is not the ajar of pengajar).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
BRIDGE_COLUMNS = ("variant", "target", "domain", "language", "source")
LEXICON_COLUMNS = ("term", "group", "weight", "language", "source")
SEVERITY_GROUPS = ("severe", "comfort")
# Words that say for whom or which kind of help, not what is needed: they count less in the
# text similarity (weight = factor on their TF-IDF component), so "lansia" alone does not pair
# eyeglasses with a blood-pressure programme.
WEAK_GROUP = "for_whom"
# Everyday words that say where (gang, rumah, sekolah, pasar) or in which broad field or of which
# general sort (usaha, belajar, alat) the help is, not what is asked: weak like `for_whom`. A
# pair whose shared words are all weak is not relevant (docs/matching.md, "evidence").
SETTING_GROUP = "setting"
WEAK_GROUPS = (WEAK_GROUP, SETTING_GROUP)
ASK_GROUPS = ("asks_dana", "asks_barang", "asks_jasa", "asks_pelatihan", "asks_pembelian")
# Words that keep their own term instead of Sastrawi's root: the root joins the word of the one
# who learns or practises (belajar, latihan) with the word of the help that teaches or trains
# (mengajar, pengajar; pelatihan, melatih), so "wifi utk belajar" met "relawan pengajar".
OWN_TERM_GROUP = "own_term"


class PhraseMap:
    """Whole-word phrases (tuples of words) mapped to values, matched longest first."""

    def __init__(self, items: dict[tuple[str, ...], object]):
        self.by_first: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        for phrase, value in sorted(items.items(), key=lambda kv: -len(kv[0])):
            self.by_first.setdefault(phrase[0], []).append((phrase, value))

    def matches(self, words: list[str]) -> list[tuple[int, int, object]]:
        """(start, length, value) of non-overlapping matches, left to right; a list, which is cheaper than
        resuming a generator per match."""
        by_first = self.by_first
        if by_first.keys().isdisjoint(words):
            return []
        out = []
        end = 0
        for i in [k for k, w in enumerate(words) if w in by_first]:
            if i < end:
                continue
            for phrase, value in by_first[words[i]]:
                n = len(phrase)
                if n == 1 or tuple(words[i:i + n]) == phrase:
                    out.append((i, n, value))
                    end = i + n
                    break
        return out


@dataclass(frozen=True)
class Bridge:
    """The local-language bridge: phrases replaced by their target words."""

    phrases: PhraseMap
    size: int
    target_words: frozenset[str] = frozenset()

    def apply(self, words: list[str]) -> list[str]:
        """Words with every bridged phrase replaced by its (Indonesian) target words.

        A text with no bridged word comes back as the same list (callers do not change it).
        """
        if self.phrases.by_first.keys().isdisjoint(words):
            return words
        out: list[str] = []
        last = 0
        for start, length, target in self.phrases.matches(words):
            out.extend(words[last:start])
            out.extend(target)  # type: ignore[arg-type]
            last = start + length
        out.extend(words[last:])
        return out


@dataclass(frozen=True)
class Lexicon:
    """Severity and kind-of-help terms with their weights."""

    phrases: PhraseMap   # phrase -> ((group, weight), ...)
    own_terms: frozenset[str] = frozenset()   # group own_term: words never cut to their root

    @cached_property
    def need_terms(self) -> PhraseMap:
        """The same phrases, each with what reading a need uses, prepared once: the phrase as
        text, its condition marks ((severe?, weight), ...) and its kind-of-help entries
        ((group, weight), ...)."""
        items = {}
        for entries in self.phrases.by_first.values():
            for phrase, values in entries:
                marks = tuple((group == "severe", weight) for group, weight in values  # type: ignore[union-attr]
                              if group in SEVERITY_GROUPS)
                asks = tuple((group, weight) for group, weight in values  # type: ignore[union-attr]
                             if group in ASK_GROUPS)
                items[phrase] = (" ".join(phrase), marks, asks)
        return PhraseMap(items)

    def weak_terms(self) -> dict[str, float]:
        """Words of the weak groups (`for_whom`, `setting`) and their factor in the text similarity."""
        return {" ".join(phrase): weight for entries in self.phrases.by_first.values()
                for phrase, values in entries for group, weight in values  # type: ignore[union-attr]
                if group in WEAK_GROUPS}

    def kind_words(self) -> frozenset[str]:
        """Single words of the kind-of-help groups (seragam, buku, semen, upah, les ...): things
        a need asks for, which another kind of help may also pay for or give."""
        return frozenset(phrase[0] for entries in self.phrases.by_first.values()
                         for phrase, values in entries if len(phrase) == 1
                         for group, _ in values if group in ASK_GROUPS)  # type: ignore[union-attr]

    def hits(self, words: list[str]) -> list[tuple[str, str, float]]:
        """(group, term, weight) for every term found, each term once."""
        seen: set[str] = set()
        out = []
        for start, length, entries in self.phrases.matches(words):
            term = " ".join(words[start:start + length])
            if term in seen:
                continue
            seen.add(term)
            out.extend((group, term, weight) for group, weight in entries)  # type: ignore[union-attr]
        return out


def read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a staff-edited CSV, checked: the columns, no empty required cell."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != columns:
            raise ValueError(f"{path.name}: kolom harus {', '.join(columns)}")
        rows = []
        for number, row in enumerate(reader, start=2):
            if any(not (row.get(c) or "").strip() for c in columns):
                raise ValueError(f"{path.name} baris {number}: ada kolom kosong")
            rows.append({c: row[c].strip().lower() if c in columns[:2] else row[c].strip() for c in columns})
        return rows


@lru_cache(maxsize=4)
def load_bridge(path: Path = DATA / "bridge.csv") -> Bridge:
    """The bridge from bridge.csv; a variant listed twice is an error (which target wins?)."""
    items: dict[tuple[str, ...], tuple[str, ...]] = {}
    for row in read_rows(path, BRIDGE_COLUMNS):
        key = tuple(row["variant"].split())
        if key in items:
            raise ValueError(f"{path.name}: '{row['variant']}' tercantum dua kali")
        items[key] = tuple(row["target"].split())
    targets = frozenset(w for target in items.values() for w in target)
    return Bridge(PhraseMap(items), len(items), targets)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = DATA / "lexicon.csv") -> Lexicon:
    """The severity and kind-of-help terms from lexicon.csv."""
    items: dict[tuple[str, ...], list[tuple[str, float]]] = {}
    own: set[str] = set()
    for number, row in enumerate(read_rows(path, LEXICON_COLUMNS), start=2):
        if row["group"] == OWN_TERM_GROUP:
            if " " in row["term"]:
                raise ValueError(f"{path.name} baris {number}: own_term harus satu kata")
            own.add(row["term"])
            continue
        if row["group"] not in SEVERITY_GROUPS + ASK_GROUPS + WEAK_GROUPS:
            raise ValueError(f"{path.name}: kelompok tidak dikenal '{row['group']}'")
        items.setdefault(tuple(row["term"].split()), []).append((row["group"], float(row["weight"])))
    return Lexicon(PhraseMap({k: tuple(v) for k, v in items.items()}), frozenset(own))
