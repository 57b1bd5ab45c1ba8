"""Indonesian text: synonyms, stop words, stemming, similarity."""

import pytest

from gandeng.matching import SYNONYM_GROUPS
from gandeng.matching.synonyms import IMPLIES
from gandeng.matching.text import Analyzer, TextModel, document


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer()


def similarity(a: str, b: str, corpus=()) -> float:
    model = TextModel([a, b, *corpus])
    x = model.transform([a, b])
    return float((x[0] @ x[1].T).toarray()[0, 0])


def test_kakus_dan_septictank_finds_jamban_sehat_dan_tangki_septik():
    need = document("Kakus dan septictank", "Warga belum punya kakus, septictank penuh.")
    offer = document("Jamban sehat dan tangki septik", "Pembangunan jamban sehat dan tangki septik.")
    other = document("Sumur bor dan tandon", "Pengeboran sumur dalam dan tandon air bersih.")
    assert similarity(need, offer, [other]) > 0.3
    assert similarity(need, other, [offer]) == 0.0


@pytest.mark.parametrize("token,label,variants", SYNONYM_GROUPS, ids=[g[0] for g in SYNONYM_GROUPS])
def test_every_variant_of_a_synonym_group_becomes_one_term(analyzer, token, label, variants):
    # A programme term may bring the parts it implies along (RTLH: roof, walls, floor).
    for variant in variants:
        assert analyzer(f"butuh {variant} segera") == [token, *IMPLIES.get(token, ())], variant


@pytest.mark.parametrize("pair", [("WC", "jamban"), ("kakus", "jamban"), ("septictank", "tangki septik"),
                                  ("gedhek", "dinding bambu"), ("bilik", "gedek"),
                                  ("bedah rumah", "RTLH"), ("rehab rumah", "RTLH"),
                                  ("PMT", "makanan tambahan"), ("les", "bimbingan belajar"),
                                  ("bimbel", "les"), ("PJU", "lampu jalan")])
def test_local_terms_from_the_issue_are_synonyms(analyzer, pair):
    assert analyzer(pair[0]) == analyzer(pair[1])


def test_longest_phrase_wins(analyzer):
    assert analyzer("pemberian makanan tambahan balita") == ["pmt", "balita"]


def test_stop_words_and_kampung_boilerplate_are_dropped(analyzer):
    assert analyzer("Mohon bantuan untuk warga RT 03 RW 07 di kampung kami") == []


def test_stemming_joins_word_forms(analyzer):
    assert analyzer("pelatihan menjahit") == analyzer("dilatih jahitan") == ["latih", "jahit"]
    assert analyzer("pemeriksaan kesehatan") == analyzer("periksa sehat")


def test_shared_terms_are_readable_labels():
    need = document("Kakus dan septictank", "")
    offer = document("Jamban sehat dan tangki septik", "")
    model = TextModel([need, offer])
    x = model.transform([need, offer])
    assert sorted(model.shared_terms(x, x, row_a=0, row_b=1)) == ["jamban", "tangki septik"]


def test_text_of_nothing_but_stop_words_still_builds_a_model():
    model = TextModel(["untuk dan dengan", "yang di"])
    assert model.transform(["jamban"]).nnz == 0


def test_evidence_tells_one_shared_kind_word_from_more():
    import numpy as np
    from gandeng.matching.text import EVIDENCE_KIND, EVIDENCE_OBJECT, evidence

    products = np.array([0, 1, 2, EVIDENCE_KIND, EVIDENCE_KIND + 1, 2 * EVIDENCE_KIND,
                         EVIDENCE_OBJECT, EVIDENCE_OBJECT + 3])
    assert evidence(products).tolist() == [0, 0, 0, 1, 2, 2, 2, 2]


def test_relevant_entries_keep_pairs_with_a_strong_word_and_mark_a_lone_kind_word():
    import numpy as np
    import scipy.sparse as sp
    from gandeng.matching.candidates import relevant_entries

    cosine = sp.csr_matrix(np.array([[0.5, 0.3, 0.0, 0.2], [0.0, 0.4, 0.05, 0.0]], dtype=np.float32))
    shared = sp.csr_matrix(np.array([[4096, 64, 0, 1], [0, 65, 4096, 0]], dtype=np.float32))
    rows, cols, text, full = relevant_entries(cosine, shared, 0.06)
    assert rows.tolist() == [0, 0, 1] and cols.tolist() == [0, 1, 1]
    assert text.tolist() == [0.5, np.float32(0.3), np.float32(0.4)] and full.tolist() == [True, False, True]
    # Products of different patterns are aligned first (the pairs both hold).
    wider = sp.csr_matrix(np.array([[4096, 64, 64, 1], [0, 65, 4096, 4096]], dtype=np.float32))
    again = relevant_entries(cosine, wider, 0.06)
    assert [a.tolist() for a in again] == [a.tolist() for a in (rows, cols, text, full)]
