"""The audit log speaks Indonesian to staff: every action, field name, status, category and amount
(review walk: "privacy.request", "amount_rp: – → 12000000", "status: awaiting_partner → in_progress")."""
import ast
import re
from pathlib import Path

from gandeng import labels
from gandeng.audit.models import AuditEvent
from gandeng.collaborations import services as collaborations
from gandeng.needs import services as needs
from gandeng.needs.models import NeedStatus
from gandeng.privacy.requests import file_request
from tests import factories as f
from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2] / "gandeng"


def _recorded_in_source():
    """Every action code and every literal before/after key of a record(...) call in the code."""
    actions, keys = set(), set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "record"):
                continue
            action = node.args[2] if len(node.args) > 2 else None
            for value in ([action] if not isinstance(action, ast.IfExp) else [action.body, action.orelse]):
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    actions.add(value.value)
            for keyword in node.keywords:
                if keyword.arg in ("before", "after") and isinstance(keyword.value, ast.Dict):
                    keys |= {k.value for k in keyword.value.keys if isinstance(k, ast.Constant)}
    return actions, keys


def _indonesian(label) -> bool:
    text = str(label)
    return bool(text) and "_" not in text and "." not in text


def test_every_recorded_action_and_field_has_an_indonesian_label():
    actions, keys = _recorded_in_source()
    assert len(actions) > 60 and "privacy.request" in actions and "nglarisi.group_visited" in actions
    assert sorted(a for a in actions if a not in labels.ACTION) == []
    assert sorted(k for k in keys if k not in labels.AUDIT_FIELD) == []
    assert [code for code, label in labels.ACTION.items() if not _indonesian(label)] == []
    assert [key for key, label in labels.AUDIT_FIELD.items() if not _indonesian(label)] == []


def test_the_log_shows_labels_statuses_categories_and_rupiah_never_codes(client, session):
    """A world through the real services; every key of every row written must have a label, and the
    page must show none of the codes the reviewer saw."""
    staff = f.make_staff(session)
    kampung = f.make_kampung(session)
    coordinator = f.make_coordinator(session, kampung=kampung)
    need = f.make_need(session, kampung=kampung, status=NeedStatus.SUBMITTED, title="Atap balai RW",
                       cost_rp=30_000_000, partial_ok=True, actor=coordinator)
    needs.verify_need(session, staff, need)
    offer = f.make_offer(session)
    collaboration = f.make_collaboration(session, need=need, offer=offer, amount_rp=12_000_000, staff=staff,
                                         status="in_progress")
    partner = f.make_partner(session, organisation=offer.organisation)
    collaborations.report_progress(session, partner, collaboration, 40, "Rangka terpasang.", 3_000_000)
    file_request(session, coordinator, "access", "Bu Tini", "tini@contoh.id", "Data saya apa saja?")
    session.commit()

    events = session.query(AuditEvent).all()
    written = {k for e in events for k in list(e.before or {}) + list(e.after or {})}
    assert {"amount_rp", "status", "need_status", "progress_percent", "realised_rp"} <= written
    assert sorted(k for k in written if k not in labels.AUDIT_FIELD) == []
    assert sorted({e.action for e in events} - set(labels.ACTION)) == []

    login(client, staff)
    page = client.get("/audit").text
    rows = page.split("audit-log", 1)[1]
    for raw in ("privacy.request", "amount_rp", "awaiting_partner", "in_progress", "proposal_id",
                "12000000", "need_status", "realised_rp"):
        assert raw not in rows, raw
    assert "Permintaan data pribadi" in rows
    assert re.search(r'audit-field">Jumlah</span>: <span class="text-break">–</span> → '
                     r'<span class="text-break">Rp12\.000\.000</span>', rows)
    assert "Menunggu mitra menyanggupi</span> → <span class=\"text-break\">Berjalan" in rows
    assert "Rp3.000.000" in rows and "40%" in rows


def test_offer_categories_and_areas_show_their_names():
    from gandeng.audit.display import display_value

    class Names:
        def category(self, code):
            return {"housing": "Perumahan"}[code]

        def area(self, code):
            return {"34.71.01": "Mantrijeron"}[code]

    assert display_value("categories", ["housing"], "offers", Names()) == "Perumahan"
    assert display_value("areas", ["34.71.01"], "offers", Names()) == "Mantrijeron"
    assert display_value("food_budget_rp", 450_000_000, "nglarisi_office_budgets") == "Rp450.000.000"
    assert display_value("valid_until", "2027-06-30", "offers") == "30 Juni 2027"
    assert display_value("areas", [], "offers", Names()) == "seluruh kota"
    assert display_value("counts", {"needs": 20, "offers": 15, "engine_seconds": {"x": 1}}) == \
        "20 kebutuhan, 15 penawaran"
