"""The joins the reports share: from a commitment (or a need) to the need's kampung, kelurahan,
kemantren and category, and from a commitment to its offer's organisation. Written once, so every
report places a collaboration the same way."""
from gandeng.accounts.models import Kampung, Organisation
from gandeng.collaborations.models import Commitment
from gandeng.needs.models import Need
from gandeng.offers.models import Offer
from gandeng.reference.models import Category, Kelurahan, Kemantren


def join_need_place(query, from_commitment: bool = True, kampung: bool = True):
    """`query` joined to the need (from Commitment unless it selects from Need already), its kampung
    (unless `kampung` is False), kelurahan, kemantren and category (inner joins: every need has them)."""
    if from_commitment:
        query = query.join(Need, Need.id == Commitment.need_id)
    if kampung:
        query = query.join(Kampung, Kampung.id == Need.kampung_id)
    return (query.join(Kelurahan, Kelurahan.code == Need.kelurahan_code)
            .join(Kemantren, Kemantren.code == Kelurahan.kemantren_code)
            .join(Category, Category.code == Need.category_code))


def join_organisation(query):
    """`query` (selecting from Commitment) joined to the offer and its organisation."""
    return query.join(Offer, Offer.id == Commitment.offer_id).join(Organisation, Organisation.id == Offer.organisation_id)
