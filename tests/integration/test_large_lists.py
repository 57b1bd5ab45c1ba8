"""Queries behind the lists and the matcher stay correct at national size: long id lists, one
query per kind of row, the home page's totals."""
from sqlalchemy import event

from gandeng.collaborations.queries import committed_by_need, committed_by_offer
from gandeng.db import db
from gandeng.needs.models import NeedStatus
from gandeng.needs.queries import public_totals
from gandeng.offers.models import OfferStatus
from gandeng.reference.services import kemantren_with_kelurahan
from tests import factories as f


class StatementCounter:
    """Counts the statements the database receives inside a `with` block."""

    def __enter__(self):
        self.count = 0
        event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def _count(self, *_args):
        self.count += 1

    def __exit__(self, *_exc):
        event.remove(db.engine, "before_cursor_execute", self._count)


def test_committed_amounts_for_more_ids_than_one_statement_may_bind(session):
    # A matching run asks for every open need at once: 100,000 ids exceed PostgreSQL's 65,535
    # bound parameters per statement (and SQLite's 32,766).
    commitment = f.make_collaboration(session, amount_rp=3_000_000)
    need_ids = [commitment.need_id] + list(range(10_000_000, 10_070_000))
    committed = committed_by_need(session, need_ids)
    assert len(committed) == 70_001
    assert committed[commitment.need_id] == 3_000_000
    assert committed[10_069_999] == 0
    offers = committed_by_offer(session, [commitment.offer_id] + list(range(10_000_000, 10_040_000)))
    assert offers[commitment.offer_id] == 3_000_000 and sum(offers.values()) == 3_000_000


def test_kemantren_with_kelurahan_loads_every_kelurahan_in_one_more_query(session):
    session.expire_all()
    with StatementCounter() as counter:
        areas = kemantren_with_kelurahan(session)
        kelurahan = [kel.name for kemantren in areas for kel in kemantren.kelurahan]
    assert len(areas) == 14 and len(kelurahan) == 45
    assert counter.count == 2


def test_public_totals_count_public_needs_their_cost_and_kelurahan_reached(session):
    in_kricak = f.make_kampung(session, "Kampung Kricak Kidul", "34.71.01.1001")
    in_bener = f.make_kampung(session, "Kampung Bener Lor", "34.71.01.1004")
    f.make_need(session, kampung=in_kricak, cost_rp=1_000_000)
    f.make_need(session, kampung=in_kricak, cost_rp=2_000_000, status=NeedStatus.COMPLETED)
    f.make_need(session, kampung=in_bener, cost_rp=4_000_000)
    f.make_need(session, kampung=in_bener, cost_rp=8_000_000, status=NeedStatus.SUBMITTED)
    f.make_need(session, kampung=in_bener, cost_rp=16_000_000, status=NeedStatus.DRAFT)
    f.make_offer(session)
    f.make_offer(session, status=OfferStatus.DRAFT)
    session.commit()
    assert public_totals(session) == {"needs": 3, "cost_rp": 7_000_000, "offers": 1, "kelurahan": 2}


def test_public_totals_of_an_empty_city_are_zero(session):
    assert public_totals(session) == {"needs": 0, "cost_rp": 0, "offers": 0, "kelurahan": 0}


def test_needs_list_issues_the_same_queries_for_one_need_as_for_a_full_page(client, session):
    kampung = f.make_kampung(session, "Kampung Terban Lor", "34.71.02.1001")
    f.make_need(session, kampung=kampung)
    session.commit()
    with StatementCounter() as one:
        assert client.get("/needs").status_code == 200
    for _ in range(24):
        f.make_need(session, kampung=f.make_kampung(session, kelurahan_code="34.71.01.1002"))
    session.commit()
    with StatementCounter() as many:
        assert client.get("/needs").status_code == 200
    assert many.count == one.count
