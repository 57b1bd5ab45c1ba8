"""The matcher's Indonesian reasons are shown in the reader's language on the pages."""
from datetime import date

import pytest
from flask_babel import force_locale

from gandeng.matching import reasons
from gandeng.reason_text import reason_text


@pytest.mark.parametrize("indonesian, english", [
    ("kata kunci cocok: jamban, septic tank", "matching keywords: jamban, septic tank"),
    ("kategori sama: Sanitasi", "same category: Sanitasi"),
    ("satu kelurahan (Kricak)", "same kelurahan (Kricak)"),
    ("satu kemantren (Jetis)", "same kemantren (Jetis)"),
    ("penawaran berlaku untuk seluruh kota", "the offer covers the whole city"),
    ("urgensi darurat, tenggat 12 hari lagi", "urgency: emergency, deadline in 12 days"),
    ("45% KK pemegang KMS, kelurahan ini baru sedikit menerima bantuan",
     "45% of households hold a KMS card, this kelurahan has received little help so far"),
])
def test_reasons_read_in_english_for_english_readers_and_unchanged_in_indonesian(app, indonesian, english):
    with app.test_request_context():
        with force_locale("en"):
            assert reason_text(indonesian) == english
        with force_locale("id"):
            assert reason_text(indonesian) == indonesian


def test_an_unknown_reason_is_shown_as_it_is(app):
    with app.test_request_context(), force_locale("en"):
        assert reason_text("alasan baru dari versi lain") == "alasan baru dari versi lain"


def test_every_reason_the_matcher_writes_is_recognised(app):
    """If reasons.py gains a pattern, this test names the one the pages cannot translate."""
    samples = [
        reasons._urgency(type("N", (), {"urgency": "tinggi", "deadline": date(2026, 12, 1)})(), date(2026, 11, 28)),
        reasons._urgency(type("N", (), {"urgency": "darurat", "deadline": date(2026, 11, 1)})(), date(2026, 11, 28)),
        reasons._poverty(type("N", (), {"households": 10, "kms_households": 4})(), 0.9),
    ]
    with app.test_request_context(), force_locale("en"):
        for sample in samples:
            assert reason_text(sample) != sample, sample
