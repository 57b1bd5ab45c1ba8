"""Audit-log queries: filters (dates are WIB days), the choices present, and the compact list of changes."""
from datetime import date, datetime

from gandeng.audit.models import AuditEvent
from gandeng.audit.queries import AuditFilters, actions_present, changes, events_query, object_types_present
from tests import factories as f


def _event(session, action, created_at, actor=None, object_type="needs", object_id=1):
    event = AuditEvent(action=action, object_type=object_type, object_id=object_id, actor_id=getattr(actor, "id", None),
                       created_at=created_at, before=None, after=None, note="")
    session.add(event)
    session.flush()
    return event


def _ids(session, filters):
    return [e.id for e in session.scalars(events_query(filters))]


def test_date_filter_uses_whole_days_in_wib(session):
    # 31 May 23.30 WIB is 31 May 16.30 UTC; 1 June 00.30 WIB is 31 May 17.30 UTC.
    late_may = _event(session, "x.late_may", datetime(2026, 5, 31, 16, 30))
    early_june = _event(session, "x.early_june", datetime(2026, 5, 31, 17, 30))
    assert _ids(session, AuditFilters(date_from=date(2026, 6, 1))) == [early_june.id]
    assert _ids(session, AuditFilters(date_to=date(2026, 5, 31))) == [late_may.id]
    assert _ids(session, AuditFilters(date_from=date(2026, 5, 31), date_to=date(2026, 5, 31))) == [late_may.id]


def test_filters_by_action_object_and_actor_name_or_email_combine(session):
    rina = f.make_staff(session, name="Rina Wulandari", email="rina@jogjakota.go.id")
    budi = f.make_staff(session, name="Budi Santoso", email="budi@jogjakota.go.id")
    wanted = _event(session, "need.verify", datetime(2026, 1, 2), rina, "needs", 7)
    _event(session, "need.verify", datetime(2026, 1, 2), budi, "needs", 7)
    _event(session, "need.return", datetime(2026, 1, 2), rina, "needs", 7)
    _event(session, "need.verify", datetime(2026, 1, 2), rina, "needs", 8)
    _event(session, "offer.activate", datetime(2026, 1, 2), rina, "offers", 7)
    filters = AuditFilters(action="need.verify", object_type="needs", object_id=7, actor="wulan")
    assert _ids(session, filters) == [wanted.id]
    assert _ids(session, AuditFilters(action="need.verify", object_id=7, actor="RINA@JOGJA")) == [wanted.id]


def test_actor_filter_treats_like_wildcards_as_plain_text(session):
    f.make_staff(session, name="Rina Wulandari")
    _event(session, "need.verify", datetime(2026, 1, 2), f.make_staff(session, name="Budi"))
    assert _ids(session, AuditFilters(actor="%")) == []


def test_newest_events_come_first(session):
    old = _event(session, "a", datetime(2026, 1, 1))
    new = _event(session, "b", datetime(2026, 3, 1))
    assert _ids(session, AuditFilters())[:2] == [new.id, old.id]


def test_choices_list_the_actions_and_object_types_present(session):
    f.make_need(session)  # need.create on needs (and kampung creation records nothing)
    _event(session, "proposal.approve", datetime(2026, 1, 1), object_type="proposals")
    assert {"need.create", "proposal.approve"} <= set(actions_present(session))
    assert actions_present(session) == sorted(set(actions_present(session)))
    assert {"needs", "proposals"} <= set(object_types_present(session))


def test_changes_lists_only_the_keys_that_differ():
    before = {"role": "coordinator", "kampung_id": 3, "organisation_id": None}
    after = {"role": "staff", "kampung_id": None, "organisation_id": None}
    assert changes(before, after) == [("role", "coordinator", "staff"), ("kampung_id", "3", "–")]


def test_changes_of_a_creation_show_the_new_values():
    assert changes(None, {"status": "draft", "categories": ["sanitation", "housing"]}) == [
        ("status", "–", "draft"), ("categories", "–", "sanitation, housing")]


def test_long_values_are_shortened():
    (key, old, new), = changes({"title": "a"}, {"title": "x" * 500})
    assert len(new) == 80 and new.endswith("…")
