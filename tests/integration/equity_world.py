"""A small world with known KMS households, commitments and dates for the equity tests.

Kelurahan (all in Tegalrejo / Jetis), as of now:
  Kricak       2 needs, KMS 4+2, cost 10M+5M, committed 8M (realised 3M) + 2M      -> Rp1.666.667 per KMS
  Karangwaru   1 need,  KMS 6,  cost 20M, committed 3M + cancelled 4M of which 1M realised -> Rp666.667
  Tegalrejo    1 need,  KMS 10, cost 5M, one declined 1M commitment (counts nothing)   -> left behind
  Bener        1 need,  KMS 0,  cost 7M, committed 7M                                  -> no data
  Gowongan     1 need (created in Q3 2025), KMS 8, cost 3M, nothing                   -> left behind
  Bumijo       a draft and a withdrawn need with 50 KMS each: not counted               -> no data
City: KMS 30, committed 21M -> Rp700.000 per KMS household, half = Rp350.000."""
from datetime import datetime

from gandeng.collaborations import services
from gandeng.needs.models import NeedStatus
from tests import factories as f

KRICAK, KARANGWARU, TEGALREJO, BENER = "34.71.01.1001", "34.71.01.1002", "34.71.01.1003", "34.71.01.1004"
BUMIJO, GOWONGAN = "34.71.02.1001", "34.71.02.1003"
M = 1_000_000


def build_equity_world(session) -> dict:
    staff = f.make_staff(session)
    offer = f.make_offer(session, capacity_rp=100 * M)
    partner = f.make_partner(session, organisation=offer.organisation)

    def need(code, kms, cost, created, status=NeedStatus.VERIFIED):
        made = f.make_need(session, kampung=f.make_kampung(session, kelurahan_code=code), status=status,
                           households=max(5, kms), kms_households=kms, cost_rp=cost)
        made.created_at = created
        session.flush()
        return made

    def commit(target, amount, approved):
        commitment = services.approve_proposal(session, staff, f.proposal_for(session, target, offer, amount))
        commitment.created_at = approved
        session.flush()
        return commitment

    a1 = need(KRICAK, 4, 10 * M, datetime(2025, 1, 10, 3))
    a2 = need(KRICAK, 2, 5 * M, datetime(2025, 5, 10, 3))
    b1 = need(KARANGWARU, 6, 20 * M, datetime(2025, 1, 15, 3))
    c1 = need(TEGALREJO, 10, 5 * M, datetime(2025, 2, 1, 3))
    d1 = need(BENER, 0, 7 * M, datetime(2025, 1, 5, 3))
    need(GOWONGAN, 8, 3 * M, datetime(2025, 8, 1, 3))
    need(BUMIJO, 50, 9 * M, datetime(2025, 1, 2, 3), status=NeedStatus.DRAFT)
    need(BUMIJO, 50, 9 * M, datetime(2025, 1, 2, 3), status=NeedStatus.WITHDRAWN)

    first = commit(d1, 7 * M, datetime(2025, 1, 20, 3))  # the first commitment: Q1 2025
    realised = commit(a1, 8 * M, datetime(2025, 2, 1, 3))
    services.confirm_collaboration(session, staff, realised)
    services.report_progress(session, partner, realised, 40, "Galian selesai.", 3 * M)
    commit(a2, 2 * M, datetime(2025, 5, 20, 3))
    commit(b1, 3 * M, datetime(2025, 3, 1, 3))
    # 18.00 UTC on 31 March is 01.00 WIB on 1 April: the second quarter, not the first.
    cancelled = commit(b1, 4 * M, datetime(2025, 3, 31, 18))
    services.confirm_collaboration(session, staff, cancelled)
    services.report_progress(session, partner, cancelled, 20, "Material dibeli.", 1 * M)
    services.cancel_collaboration(session, staff, cancelled, "Lahan bersengketa.")
    declined = commit(c1, 1 * M, datetime(2025, 2, 10, 3))
    services.decline_collaboration(session, staff, declined, "Anggaran dialihkan.")
    session.flush()
    return {"staff": staff, "partner": partner, "offer": offer, "first": first}
