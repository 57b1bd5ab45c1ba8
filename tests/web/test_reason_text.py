"""The matcher's reasons (codes with parameters) in the reader's language, filtered for the viewer."""
import pytest
from flask_babel import force_locale

from gandeng.matching import Reason
from gandeng.matching.reasons import RENDER_ID
from gandeng.reason_text import _SAY, reason_text, reasons_id, visible_reasons
from tests.conftest import sqlite_only

SQLITE_ONLY = sqlite_only("rendering stored reason codes as text: no SQL")


@pytest.mark.parametrize("reason, indonesian, english", [
    (Reason("keywords", {"words": ["jamban", "tangki septik"]}), "kata kunci cocok: jamban, tangki septik",
     "matching keywords: jamban, tangki septik"),
    (Reason("same_kemantren", {"name": "Jetis"}), "satu kemantren (Jetis)", "same kemantren (Jetis)"),
    (Reason("urgency", {"level": "darurat"}), "urgensi darurat", "urgency: emergency"),
    (Reason("kms_share", {"percent": 45}), "45% KK pemegang KMS", "45% of households hold a KMS card"),
    (Reason("wrong_kind", {"asked": ["dana"], "given": ["barang"]}, True),
     "bukan jenis bantuan yang diminta (diminta dana, ditawarkan barang)",
     "not the kind of help asked for (asked: money, offered: goods)"),
    (Reason("other_kemantren", {}, True), "tidak satu kemantren", "not in the same kemantren"),
    (Reason("deadline_far", {"days": 200}, True), "tenggat masih jauh (200 hari)", "deadline still far off (200 days)"),
])
@SQLITE_ONLY
def test_reasons_read_in_the_readers_language(app, reason, indonesian, english):
    with app.test_request_context():
        with force_locale("en"):
            assert reason_text(reason) == english
            assert reason_text(reason.as_dict()) == english
        with force_locale("id"):
            assert reason_text(reason) == indonesian
    assert reasons_id([reason.as_dict()], staff=True) == [indonesian]


def test_every_code_the_engine_writes_has_its_own_rendering():
    assert set(RENDER_ID) <= set(_SAY)


@SQLITE_ONLY
def test_a_sentence_stored_before_reason_codes_is_shown_as_it_is(app):
    with app.test_request_context(), force_locale("en"):
        assert reason_text("alasan lama dari versi lain") == "alasan lama dari versi lain"


def test_kms_figures_are_left_out_for_anyone_but_staff():
    reasons = [Reason("kms_share", {"percent": 60}).as_dict(), Reason("urgency", {"level": "tinggi"}).as_dict()]
    assert [r["code"] for r in visible_reasons(reasons, staff=False)] == ["urgency"]
    assert len(visible_reasons(reasons, staff=True)) == 2
    assert reasons_id(reasons, staff=False) == ["urgensi tinggi"]
