"""Who may see and change an offer."""
from gandeng.accounts.models import Role
from gandeng.accounts.policies import is_staff, signed_in
from gandeng.offers.models import OfferStatus

# Offers anyone may see: what organisations have put on the table.
PUBLIC_STATUSES = (OfferStatus.ACTIVE, OfferStatus.FULLY_COMMITTED, OfferStatus.EXPIRED)


def is_own_partner(user, offer) -> bool:
    """The user belongs to the organisation that made the offer."""
    return (
        signed_in(user) and user.role == Role.PARTNER and user.organisation_id == offer.organisation_id
    )


def can_create_offer(user) -> bool:
    return signed_in(user) and user.role == Role.PARTNER and user.organisation_id is not None


def can_view_offer(user, offer) -> bool:
    """Published offers are public; drafts and withdrawn offers: own organisation and staff."""
    return offer.status in PUBLIC_STATUSES or is_own_partner(user, offer) or is_staff(user)


def can_edit_offer(user, offer) -> bool:
    return (is_own_partner(user, offer) or is_staff(user)) and offer.status in (
        OfferStatus.DRAFT, OfferStatus.ACTIVE,
    )


def can_activate_offer(user, offer) -> bool:
    return (is_own_partner(user, offer) or is_staff(user)) and offer.status == OfferStatus.DRAFT


def can_withdraw_offer(user, offer) -> bool:
    return (is_own_partner(user, offer) or is_staff(user)) and offer.status in (
        OfferStatus.DRAFT, OfferStatus.ACTIVE, OfferStatus.FULLY_COMMITTED,
    )
