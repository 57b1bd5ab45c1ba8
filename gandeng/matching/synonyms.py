"""Local synonym list: variants written in kampung proposals and CSR offers, mapped to one term.

Each group has a canonical token (what TF-IDF sees), a display label (what staff read in the
reasons) and its variants (words or phrases, lower case). Phrases are replaced before
tokenising, so "tangki septik" and "septic tank" both become one token. Keep the list short
and local: TF-IDF and stemming handle ordinary word forms; this list only bridges words that
share no stem. Documented in docs/matching.md.
"""

from __future__ import annotations


# (canonical token, display label, variants)
SYNONYM_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("jamban", "jamban", ("jamban", "wc", "kakus", "toilet", "kloset", "water closet")),
    # MCK is a shared facility (mandi, cuci, kakus), mostly public: not a household jamban.
    ("mck", "MCK", ("mck", "mandi cuci kakus", "wc umum", "toilet umum", "kamar mandi umum")),
    ("septiktank", "tangki septik", ("tangki septik", "septictank", "septic tank", "septitank",
                                    "septik tank", "spiteng", "resapan tinja")),
    ("gedhek", "dinding bambu", ("gedhek", "gedek", "bilik", "dinding bambu", "anyaman bambu")),
    ("rtlh", "bedah rumah", ("bedah rumah", "rtlh", "rehab rumah", "rehabilitasi rumah",
                             "rumah tidak layak huni", "renovasi rumah", "perbaikan rumah")),
    ("pmt", "makanan tambahan", ("pmt", "makanan tambahan", "pemberian makanan tambahan")),
    ("bimbel", "bimbingan belajar", ("bimbel", "les", "bimbingan belajar", "les privat",
                                     "pendampingan belajar")),
    ("pju", "lampu jalan", ("pju", "lampu jalan", "penerangan jalan", "lampu penerangan")),
    ("ipal", "IPAL", ("ipal", "instalasi pengolahan air limbah", "pengolahan air limbah",
                      "pengolahan limbah")),
    ("airbersih", "air bersih", ("air bersih", "pdam", "air ledeng", "ledeng", "sambungan air",
                                 "air minum")),
    ("drainase", "drainase", ("drainase", "selokan", "saluran air", "got", "saluran air hujan")),
    ("paving", "paving", ("paving", "paving block", "conblock", "konblok", "blok beton")),
    ("lansia", "lansia", ("lansia", "manula", "lanjut usia", "warga senior", "simbah")),
    ("balita", "balita", ("balita", "bayi", "anak bawah lima tahun", "baduta")),
    ("stunting", "stunting", ("stunting", "tengkes", "gizi buruk", "kurang gizi", "gizi kurang")),
    ("umkm", "UMKM", ("umkm", "usaha mikro", "usaha kecil", "pelaku usaha")),
    ("kursiroda", "kursi roda", ("kursi roda", "kruk", "alat bantu jalan")),
    ("sembako", "sembako", ("sembako", "bahan pokok", "kebutuhan pokok", "paket pangan")),
    ("alattulis", "alat tulis", ("alat tulis", "alat sekolah", "perlengkapan sekolah",
                                 "alat tulis kantor")),
    ("laptop", "komputer", ("laptop", "komputer", "notebook", "pc")),
    # School shoes are bought with the uniform and paid by the same school-costs programmes
    # ("bantuan seragam dan sepatu sekolah"); marching-band or PBB shoes are not school attire.
    ("seragam", "seragam", ("seragam", "seragam sekolah", "sepatu sekolah")),
)

# A programme term that names its parts: an RTLH renovation is roof, walls and floor (the RTLH
# components of the Ministry of Public Works), so "payon bocor" finds a "bedah rumah" offer.
IMPLIES: dict[str, tuple[str, ...]] = {"rtlh": ("atap", "dinding", "lantai")}

CANONICAL = {variant: token for token, _, variants in SYNONYM_GROUPS for variant in variants}
LABELS = {token: label for token, label, _ in SYNONYM_GROUPS}
# Multi-word variants by their first word, longest first, so "pemberian makanan tambahan"
# wins over "makanan tambahan"; matched on tokens, which is several times faster than a regex.
PHRASES: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _variant, _token in sorted(CANONICAL.items(), key=lambda kv: -len(kv[0].split())):
    _words = tuple(_variant.split())
    if len(_words) > 1:
        PHRASES.setdefault(_words[0], []).append((_words, _token))


def join_phrases(words: list[str]) -> list[str]:
    """Replace multi-word variants in a list of lower-case words by their canonical token."""
    # Most texts hold no phrase start at all: one C-level membership pass. Otherwise only the
    # positions of phrase starts are looked at; the words between are copied as slices.
    if PHRASES.keys().isdisjoint(words):
        return list(words)
    out: list[str] = []
    last = 0
    for i in [k for k, w in enumerate(words) if w in PHRASES]:
        if i < last:
            continue
        for phrase, token in PHRASES[words[i]]:
            if tuple(words[i:i + len(phrase)]) == phrase:
                out.extend(words[last:i])
                out.append(token)
                last = i + len(phrase)
                break
    out.extend(words[last:])
    return out
