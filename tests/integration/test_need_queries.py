"""Pages of needs: filters, visibility, committed amounts, and a query count that does not grow per row."""
import pytest
from sqlalchemy import event

from gandeng.collaborations.lifecycle import cancel_collaboration
from gandeng.db import db
from gandeng.needs.models import NeedStatus
from gandeng.needs.queries import NeedFilters, page_of_needs, statuses_visible_to
from tests import factories as f


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


def _queries_for_page(session, per_page):
    counter = _Counter()
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        page = page_of_needs(session, None, NeedFilters(), 1, per_page)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return page, counter.count


def test_page_costs_the_same_number_of_queries_for_one_or_many_needs(session):
    for n in range(2):
        f.make_need(session, title=f"Kebutuhan {n}")
    session.commit()
    session.expire_all()
    _, few = _queries_for_page(session, 20)
    for n in range(8):
        f.make_need(session, kampung=f.make_kampung(session), title=f"Tambahan {n}")
    session.commit()
    session.expire_all()
    page, many = _queries_for_page(session, 20)
    assert len(page.items) == 10
    assert many == few


def test_committed_and_remaining_come_from_holding_commitments(session):
    need = f.make_need(session, cost_rp=10_000_000)
    offer, staff = f.make_offer(session), f.make_staff(session)
    f.make_collaboration(session, need, offer, 3_000_000, staff=staff)
    cancelled = f.make_collaboration(session, need, offer, 2_000_000, staff=staff)
    cancel_collaboration(session, staff, cancelled, "Mitra mundur sebelum mulai.")
    session.flush()
    page = page_of_needs(session, None, NeedFilters(), 1, 20)
    assert page.committed_rp(need) == 3_000_000 and page.remaining_rp(need) == 7_000_000


def test_page_number_past_the_end_shows_the_last_page(session):
    for n in range(3):
        f.make_need(session, title=f"K{n}")
    page = page_of_needs(session, None, NeedFilters(), 9, 2)
    assert page.page == 2 and len(page.items) == 1 and not page.has_next


def test_filters_combine(session):
    kricak = f.make_kampung(session, kelurahan_code="34.71.01.1001")
    bener = f.make_kampung(session, kelurahan_code="34.71.01.1004")
    wanted = f.make_need(session, kampung=kricak, category_code="housing")
    f.make_need(session, kampung=kricak, category_code="sanitation")
    f.make_need(session, kampung=bener, category_code="housing")
    f.make_need(session, kampung=kricak, category_code="housing", status=NeedStatus.COMPLETED)
    page = page_of_needs(session, None, NeedFilters(status="verified", category="housing",
                                                    kemantren="34.71.01", kelurahan="34.71.01.1001"))
    assert [n.id for n in page.items] == [wanted.id]


def test_my_kampung_filter_applies_to_coordinators_only(session):
    coordinator = f.make_coordinator(session)
    own = f.make_need(session, kampung=coordinator.kampung)
    other = f.make_need(session)
    staff = f.make_staff(session)
    assert [n.id for n in page_of_needs(session, coordinator, NeedFilters(mine=True)).items] == [own.id]
    assert {n.id for n in page_of_needs(session, staff, NeedFilters(mine=True)).items} == {own.id, other.id}


@pytest.mark.parametrize("role, draft, submitted", [
    (None, False, False), ("partner", False, False), ("staff", False, True), ("coordinator", True, True),
])
def test_status_choices_match_what_the_user_may_see(session, role, draft, submitted):
    user = {None: None, "partner": f.make_partner, "staff": f.make_staff,
            "coordinator": f.make_coordinator}[role]
    statuses = statuses_visible_to(user(session) if user else None)
    assert ("draft" in statuses) is draft and ("submitted" in statuses) is submitted
    assert "verified" in statuses
