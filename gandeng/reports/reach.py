"""What "reached" (sudah dibantu) means, once for every page: home, /public and /dashboard.

A kampung (and its kelurahan) is reached once work has started on one of its needs: a collaboration
the partner confirmed that is in progress or completed, on a need the public may see. Approved but
unconfirmed collaborations do not count yet (the partner may still decline), nor declined or
cancelled ones. Beneficiaries are those reported on completed collaborations.

With a period, only collaborations approved in it count (as every programme figure); with a
kemantren, only its kelurahan's needs. No personal data: counts only.
"""
from dataclasses import dataclass

from sqlalchemy import case, distinct, func, select

from gandeng.collaborations.models import Commitment, CommitmentStatus
from gandeng.needs.models import PUBLIC_STATUSES, Need
from gandeng.reports.periods import Period

# Work started: the partner confirmed (in progress) or the coordinator confirmed completion.
REACHED_STATUSES = (CommitmentStatus.IN_PROGRESS, CommitmentStatus.COMPLETED)


@dataclass(frozen=True)
class Reach:
    """Kampung and kelurahan reached, and beneficiaries of completed collaborations."""

    kampung: int = 0
    kelurahan: int = 0
    beneficiaries: int = 0


def reach(session, period: Period | None = None, kemantren: str | None = None) -> Reach:
    """The reach of the programme (in `period` and `kemantren` when given), in one query."""
    from gandeng.reports.programme import in_kemantren  # programme imports this module

    period = period or Period()
    completed_people = case(
        (Commitment.status == CommitmentStatus.COMPLETED, func.coalesce(Commitment.beneficiaries_reached, 0)),
        else_=0,
    )
    kampung, kelurahan, people = session.execute(
        select(func.count(distinct(Need.kampung_id)), func.count(distinct(Need.kelurahan_code)),
               func.coalesce(func.sum(completed_people), 0))
        .select_from(Commitment).join(Need, Need.id == Commitment.need_id)
        .where(Commitment.status.in_(REACHED_STATUSES), Need.status.in_(PUBLIC_STATUSES),
               period.holds(Commitment.created_at), in_kemantren(Need.kelurahan_code, kemantren))
    ).one()
    return Reach(kampung=int(kampung), kelurahan=int(kelurahan), beneficiaries=int(people))
