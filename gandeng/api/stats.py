"""City totals for GET /api/v1/stats: public needs only (verified, matched, in progress, completed),
with Rupiah needed, committed (the needs' running totals) and realised, per
kemantren and per category; and collaborations by status. A handful of grouped queries."""
from sqlalchemy import func, select

from gandeng.collaborations.models import Commitment
from gandeng.needs.models import PUBLIC_STATUSES, Need
from gandeng.reference.models import Category, Kelurahan, Kemantren


def _zero() -> dict:
    return {"needs": 0, "needed_rp": 0, "committed_rp": 0, "realised_rp": 0}


def _grouped(session, key):
    """{group: totals} of public needs and their commitments, grouped by the column `key`."""
    found: dict = {}
    need_rows = session.execute(
        select(key, func.count(Need.id), func.coalesce(func.sum(Need.cost_rp), 0),
               func.coalesce(func.sum(Need.committed_rp), 0))
        .select_from(Need).join(Kelurahan, Kelurahan.code == Need.kelurahan_code)
        .where(Need.status.in_(PUBLIC_STATUSES)).group_by(key)
    )
    for group, count, cost, committed in need_rows:
        found.setdefault(group, _zero()).update(needs=int(count), needed_rp=int(cost), committed_rp=int(committed))
    realised_rows = session.execute(
        select(key, func.coalesce(func.sum(Commitment.realised_rp), 0))
        .select_from(Commitment).join(Need, Need.id == Commitment.need_id)
        .join(Kelurahan, Kelurahan.code == Need.kelurahan_code)
        .where(Need.status.in_(PUBLIC_STATUSES)).group_by(key)
    )
    for group, realised in realised_rows:
        found.setdefault(group, _zero()).update(realised_rp=int(realised))
    return found


def kelurahan_totals(session) -> dict:
    """{kelurahan code: totals} of public needs (kelurahan without any are absent); for the public map."""
    return _grouped(session, Kelurahan.code)


def city_stats(session) -> dict:
    """Totals for the whole city, by kemantren and by category (every kemantren and category listed)."""
    by_kemantren = _grouped(session, Kelurahan.kemantren_code)
    by_category = _grouped(session, Need.category_code)
    totals = _zero()
    for row in by_kemantren.values():
        for name in totals:
            totals[name] += row[name]
    collaborations = {str(status): int(n) for status, n in session.execute(
        select(Commitment.status, func.count(Commitment.id)).group_by(Commitment.status))}
    kemantren = session.execute(select(Kemantren.code, Kemantren.name).order_by(Kemantren.name)).all()
    categories = session.execute(select(Category.code, Category.label_id).order_by(Category.position)).all()
    return {
        **totals,
        "collaborations_by_status": collaborations,
        "by_kemantren": [{"code": code, "name": name, **by_kemantren.get(code, _zero())} for code, name in kemantren],
        "by_category": [{"code": code, "name": label, **by_category.get(code, _zero())} for code, label in categories],
    }
