"""Short Rupiah for narrow places and decimal commas: what a phone shows."""
import pytest

from gandeng.collaborations.briefing import public_reasons
from gandeng.formatting import decimal, rupiah_short


@pytest.mark.parametrize("amount, indonesian, english", [
    (799_200_000, "Rp799,2 jt", "Rp799.2M"),
    (100_000_000, "Rp100 jt", "Rp100M"),
    (1_500_000_000, "Rp1,5 M", "Rp1.5B"),
    (999_950_000, "Rp1 M", "Rp1B"),  # rounds up into the next unit, never "Rp1.000 jt"
    (12_345, "Rp12,3 rb", "Rp12.3K"),
    (950, "Rp950", "Rp950"),
    (-5_000_000, "-Rp5 jt", "-Rp5M"),
    (None, "–", "–"),
])
def test_short_rupiah_in_each_language(amount, indonesian, english):
    assert rupiah_short(amount, "id") == indonesian
    assert rupiah_short(amount, "en") == english


def test_scores_have_a_decimal_comma_in_indonesian():
    assert decimal(0.356) == "0,36"
    assert decimal(0.356, "en") == "0.36"
    assert decimal(1.25, "id", 1) == "1,2"
    assert decimal(None) == "–"


def test_reasons_shown_to_a_partner_never_mention_kms():
    reasons = ["kategori sama: Sanitasi", "urgensi tinggi, 71% KK pemegang KMS", "40% KK pemegang KMS"]
    assert public_reasons(reasons) == ["kategori sama: Sanitasi", "urgensi tinggi"]


def test_structured_reasons_reach_a_partner_as_sentences_without_the_kms_share(app):
    from gandeng.reason_text import reason_text

    stored = [{"code": "keywords", "params": {"words": ["limbah", "saluran"]}, "negative": False},
              {"code": "kms_share", "params": {"percent": 75}, "negative": False},
              {"code": "same_category", "params": {"label": "Sanitasi & air bersih"}, "negative": False}]
    shown = public_reasons(stored)
    assert [r["code"] for r in shown] == ["keywords", "same_category"]
    with app.test_request_context():
        text = [reason_text(r) for r in shown]
    assert "limbah" in text[0] and "{" not in text[0] and "code" not in " ".join(text)


def test_why_an_offer_kept_money_reads_in_english(app):
    from flask_babel import force_locale

    from gandeng.reason_text import reason_text

    with app.test_request_context(), force_locale("en"):
        assert reason_text("tidak ada kebutuhan yang cukup cocok") == "no need fits well enough"
        assert (reason_text("Rp2.500.000 belum terpakai: tidak ada kebutuhan yang cukup cocok")
                == "Rp2.500.000 unused: no need fits well enough")
