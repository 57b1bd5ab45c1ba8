"""Read queries the API needs beyond the modules' own: the proposals a user may see."""
from sqlalchemy import select

from gandeng.accounts.models import Role
from gandeng.needs.models import Need
from gandeng.offers.models import Offer
from gandeng.paging import Key, Keyset
from gandeng.proposals import policies
from gandeng.proposals.models import Proposal


# Newest first by id (the primary key's index).
PROPOSAL_ORDER = Keyset(Key(Proposal.id, int))


def visible_proposals(user):
    """A select of the proposals `user` may list: staff (who review them) all; a partner those on
    their organisation's offers; a coordinator those for their kampung's needs; others none."""
    query = select(Proposal)
    if policies.can_review_proposals(user):
        return query
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return query.where(False)
    if user.role == Role.PARTNER and user.organisation_id is not None:
        return query.where(Proposal.offer_id.in_(select(Offer.id).where(Offer.organisation_id == user.organisation_id)))
    if user.role == Role.COORDINATOR and user.kampung_id is not None:
        return query.where(Proposal.need_id.in_(select(Need.id).where(Need.kampung_id == user.kampung_id)))
    return query.where(False)


def filtered_proposals(user, status="", run=None, need=None, offer=None):
    query = visible_proposals(user)
    if status:
        query = query.where(Proposal.status == status)
    if run:
        query = query.where(Proposal.run_id == run)
    if need:
        query = query.where(Proposal.need_id == need)
    if offer:
        query = query.where(Proposal.offer_id == offer)
    return query.order_by(*PROPOSAL_ORDER.order_by())
