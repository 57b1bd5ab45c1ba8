"""Imports write in bulk: a few statements whatever the number of rows, the same rows and audit
trail as the services write one by one, and the public figures follow at once."""
from sqlalchemy import event, select

from gandeng.audit.models import AuditEvent
from gandeng.db import db
from gandeng.offers.models import Offer
from gandeng.reports.public_version import current_stamp
from tests.integration.import_files import NEED_HEADER, OFFER_HEADER, need_row, offer_row, write_csv


class StatementCounter:
    """Counts the SQL statements the app's engine runs while it is active."""

    def __init__(self):
        self.count = 0

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc):
        event.remove(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args):
        self.count += 1


def import_statements(runner, kind, path) -> int:
    with StatementCounter() as counter:
        result = runner.invoke(args=["import", kind, str(path)])
    assert result.exit_code == 0, result.output
    return counter.count


def test_importing_more_needs_runs_no_more_statements(runner, session, tmp_path):
    few = write_csv(tmp_path / "few.csv", NEED_HEADER, [need_row(ref=f"A-{i}", kampung=f"Kampung A{i % 3}")
                                                         for i in range(10)])
    many = write_csv(tmp_path / "many.csv", NEED_HEADER, [need_row(ref=f"B-{i}", kampung=f"Kampung B{i % 3}")
                                                          for i in range(300)])
    assert import_statements(runner, "needs", many) <= import_statements(runner, "needs", few) + 2


def test_importing_more_offers_runs_no_more_statements(runner, session, tmp_path):
    few = write_csv(tmp_path / "few.csv", OFFER_HEADER, [offer_row(ref=f"A-{i}", organisation=f"PT Mitra A{i % 4}")
                                                          for i in range(10)])
    many = write_csv(tmp_path / "many.csv", OFFER_HEADER, [offer_row(ref=f"B-{i}", organisation=f"PT Mitra B{i % 4}")
                                                           for i in range(300)])
    assert import_statements(runner, "offers", many) <= import_statements(runner, "offers", few) + 2


def test_imported_offers_keep_the_audit_trail_of_the_services(runner, session, tmp_path):
    path = write_csv(tmp_path / "offers.csv", OFFER_HEADER, [offer_row(ref="O-1", categories="sanitation;housing",
                                                                       areas="Tegalrejo")])
    assert runner.invoke(args=["import", "offers", str(path)]).exit_code == 0
    offer = session.scalar(select(Offer).where(Offer.ref == "O-1"))
    trail = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "offers",
                                                     AuditEvent.object_id == offer.id).order_by(AuditEvent.id)).all()
    assert [event.action for event in trail] == ["offer.create", "offer.activate"]
    assert trail[0].after["categories"] == ["sanitation", "housing"] and trail[0].after["status"] == "draft"
    assert trail[0].after["areas"] == [offer.areas[0].code]
    assert trail[1].before == {"status": "draft"} and trail[1].after == {"status": "active"}
    assert {c.code for c in offer.categories} == {"sanitation", "housing"}


def test_imported_needs_show_at_once_in_the_public_figures(runner, client, session, tmp_path):
    assert client.get("/api/v1/stats").get_json()["needs"] == 0
    before = current_stamp(session)
    path = write_csv(tmp_path / "needs.csv", NEED_HEADER, [need_row(ref="N-1"), need_row(ref="N-2")])
    assert runner.invoke(args=["import", "needs", str(path)]).exit_code == 0
    assert current_stamp(session).version == before.version + 1
    assert client.get("/api/v1/stats").get_json()["needs"] == 2
