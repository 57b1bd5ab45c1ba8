"""The reviewed word lists as data: the local-language bridge, typo repair, severity and kinds."""

import csv

import pytest

from gandeng.matching import SYNONYM_GROUPS
from gandeng.matching.kinds import asked_kinds, severity, split_exclusions
from gandeng.matching.lexicon import BRIDGE_COLUMNS, DATA, load_bridge, load_lexicon, read_rows
from gandeng.matching.synonyms import IMPLIES
from gandeng.matching.text import Analyzer, TextModel, document

DOMAINS = ("perumahan", "sanitasi", "air", "kesehatan", "pangan", "pendidikan", "penghidupan")


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer()


def test_bridge_holds_at_least_300_sourced_entries_across_the_seven_domains():
    rows = read_rows(DATA / "bridge.csv", BRIDGE_COLUMNS)
    assert len(rows) >= 300
    assert all(row["source"] for row in rows)
    for domain in DOMAINS:
        assert sum(row["domain"] == domain for row in rows) >= 20, domain


def test_bridge_never_breaks_a_synonym_phrase(analyzer):
    for token, _, variants in SYNONYM_GROUPS:
        for variant in variants:
            assert analyzer(variant) == [token, *IMPLIES.get(token, ())], variant


@pytest.mark.parametrize("kampung,offer", [
    ("banyu sumur butek", "air sumur keruh"),
    ("omahe payon bocor", "rumah atap bocor"),
    ("sumur asat pas ketigo", "sumur kering saat kemarau"),
    ("bakul kentekan kulakan", "pedagang kehabisan modal"),
    ("rmh yg blm ada wc", "rumah yang belum ada jamban"),
])
def test_javanese_and_chat_words_read_as_the_offers_words(analyzer, kampung, offer):
    assert analyzer(kampung) == analyzer(offer)


def test_typos_are_repaired_towards_the_offers_words():
    offer = document("Paket telur dan susu", "Modal usaha untuk warung dan telur untuk balita.")
    need = document("tlur utk balita", "modl warung habis")
    model = TextModel([offer, need], n_reference=1)
    x = model.transform([need, offer])
    assert {"telur", "modal"} <= set(model.shared_terms(x, x, row_a=0, row_b=1, limit=10))


def test_a_bridge_file_with_a_missing_column_or_a_duplicate_is_refused(tmp_path):
    bad = tmp_path / "bridge.csv"
    bad.write_text("variant,target\nomah,rumah\n", encoding="utf-8")
    with pytest.raises(ValueError, match="kolom"):
        load_bridge(bad)
    twice = tmp_path / "twice.csv"
    with open(twice, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(BRIDGE_COLUMNS)
        w.writerow(["omah", "rumah", "perumahan", "jv", "Bausastra"])
        w.writerow(["omah", "gedung", "perumahan", "jv", "Bausastra"])
    with pytest.raises(ValueError, match="dua kali"):
        load_bridge(twice)


def test_severity_rises_with_damage_and_falls_with_beautification():
    lexicon = load_lexicon()
    collapsed, words, _ = severity("wc ambrol warga numpang tetangga".split(), (), lexicon)
    nicer, _, comfort = severity("jamban masih berfungsi ganti keramik biar bagus".split(), (), lexicon)
    assert collapsed > 0.8 and "ambrol" in words
    assert nicer < 0.2 and "biar bagus" in comfort


def test_what_a_need_asks_for_is_read_from_its_words():
    assert asked_kinds("butuh modal untuk kulakan".split()) == ("dana",)
    assert asked_kinds("butuh genteng dan usuk tukang swadaya warga".split()) == ("barang",)
    assert asked_kinds("bahan sudah ada butuh tenaga tukang".split()) == ("jasa",)
    assert asked_kinds("produk numpuk butuh pembeli tetap".split()) == ("pembelian",)


def test_exclusions_are_cut_from_the_offers_text_and_listed():
    text, items = split_exclusions("Renovasi balai RW dan pos ronda. Tidak untuk rumah pribadi atau jamban keluarga.")
    assert "rumah" not in text and items == ("rumah pribadi", "jamban keluarga")


def test_own_term_words_keep_their_form_and_must_be_single_words(tmp_path):
    from gandeng.matching.lexicon import LEXICON_COLUMNS, load_lexicon

    analyzer = Analyzer()
    assert analyzer("belajar latihan") == ["belajar", "latihan"]
    assert analyzer("pengajar mengajar pelatihan") == ["ajar", "ajar", "latih"]
    bad = tmp_path / "lexicon.csv"
    with open(bad, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(LEXICON_COLUMNS)
        w.writerow(["belajar online", "own_term", "1", "id", "KBBI"])
    with pytest.raises(ValueError, match="satu kata"):
        load_lexicon(bad)


def test_fewer_weak_words_than_the_evidence_count_can_hold():
    from gandeng.matching.lexicon import WEAK_GROUPS
    from gandeng.matching.text import EVIDENCE_KIND

    weak = {row["term"] for row in read_rows(DATA / "lexicon.csv", ("term", "group", "weight", "language", "source"))
            if row["group"] in WEAK_GROUPS}
    assert len(weak) < EVIDENCE_KIND
