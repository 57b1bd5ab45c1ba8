"""Committed and remaining amounts, always derived from commitments."""
from sqlalchemy import func, select

from gandeng.collaborations.models import HOLDING_STATUSES, Commitment


def _committed_by(session, column, ids) -> dict[int, int]:
    ids = list(ids)
    if not ids:
        return {}
    query = (
        select(column, func.coalesce(func.sum(Commitment.amount_rp), 0))
        .where(column.in_(ids), Commitment.status.in_(HOLDING_STATUSES))
        .group_by(column)
    )
    found = {key: int(total) for key, total in session.execute(query)}
    return {i: found.get(i, 0) for i in ids}


def committed_by_offer(session, offer_ids) -> dict[int, int]:
    """Rupiah committed per offer id (0 for offers without commitments), in one query."""
    return _committed_by(session, Commitment.offer_id, offer_ids)


def committed_by_need(session, need_ids) -> dict[int, int]:
    """Rupiah committed per need id (0 for needs without commitments), in one query."""
    return _committed_by(session, Commitment.need_id, need_ids)
