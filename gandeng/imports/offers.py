"""Importing offers: each row goes through the offers services and becomes an active offer."""
from flask_babel import gettext as _

from gandeng.accounts.services import find_organisation, get_or_create_organisation
from gandeng.imports.common import ImportResult, money, optional_date, run_all_or_nothing, split_list, text
from gandeng.offers.models import Offer, OfferStatus
from gandeng.offers.services import create_offer

# As docs/import.md: the other columns may be left out of the file altogether.
REQUIRED = ("ref", "organisation", "org_type", "kind", "title", "description", "capacity_rp")
OPTIONAL = ("categories", "areas", "valid_until")
COLUMN_OF = {}


def import_offers(session, rows) -> ImportResult:
    """Create an active offer for every row (organisation created if missing, counted as verified),
    or nothing at all when any row is bad; every bad row is in the result."""
    new_organisations = set()

    def import_row(row, ref, problems) -> bool:
        data = {
            "ref": ref,
            "kind": text(row["kind"]).lower(),
            "title": text(row["title"]),
            "description": text(row["description"]),
            "capacity_rp": problems.value("capacity_rp", money, row["capacity_rp"]),
            "valid_until": problems.value("valid_until", optional_date, row["valid_until"]),
            "categories": [code.lower() for code in split_list(row["categories"])],
            "areas": split_list(row["areas"]),
        }
        name = " ".join(text(row["organisation"]).split())
        if not name:
            problems.add("organisation", _("Wajib diisi."))
        if problems.errors:
            return False
        if find_organisation(session, name) is None:
            new_organisations.add(name.lower())
        organisation = get_or_create_organisation(session, name, text(row["org_type"]).lower(), verified=True)
        create_offer(session, None, organisation, data, status=OfferStatus.ACTIVE)
        return True

    result = run_all_or_nothing(session, rows, import_row, COLUMN_OF, Offer)
    if result.ok:
        result.new = {"organisations": len(new_organisations)}
    return result
