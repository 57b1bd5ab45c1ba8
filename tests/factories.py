"""Builders for test data: make_thing(session, **overrides) with sensible Yogyakarta defaults."""
from datetime import date, timedelta
from itertools import count

from gandeng.accounts.models import Role, UserStatus
from gandeng.accounts.services import create_user, get_or_create_kampung, get_or_create_organisation
from gandeng.needs.models import NeedStatus
from gandeng.needs.services import create_need
from gandeng.offers.models import OfferStatus
from gandeng.offers.services import create_offer

PASSWORD = "rahasia-123"
_seq = count(1)


def make_kampung(session, name=None, kelurahan_code="34.71.01.1001", verified=True):
    """A kampung (default in Kricak, Tegalrejo)."""
    return get_or_create_kampung(session, name or f"Kampung {next(_seq)}", kelurahan_code, verified=verified)


def make_organisation(session, name=None, org_type="korporat", verified=True):
    return get_or_create_organisation(session, name or f"PT Contoh {next(_seq)}", org_type, verified=verified)


def make_user(session, role=Role.STAFF, status=UserStatus.ACTIVE, kampung=None, organisation=None, **overrides):
    n = next(_seq)
    if role == Role.COORDINATOR and kampung is None:
        kampung = make_kampung(session)
    if role == Role.PARTNER and organisation is None:
        organisation = make_organisation(session)
    return create_user(
        session, None,
        email=overrides.pop("email", f"user{n}@contoh.id"),
        name=overrides.pop("name", f"Pengguna {n}"),
        role=role, password=overrides.pop("password", PASSWORD),
        kampung=kampung, organisation=organisation, status=status, **overrides,
    )


def make_staff(session, **overrides):
    return make_user(session, Role.STAFF, **overrides)


def make_admin(session, **overrides):
    return make_user(session, Role.ADMIN, **overrides)


def make_coordinator(session, **overrides):
    return make_user(session, Role.COORDINATOR, **overrides)


def make_partner(session, **overrides):
    return make_user(session, Role.PARTNER, **overrides)


def need_data(**overrides):
    data = {
        "category_code": "sanitation",
        "title": "Jamban sehat untuk 5 KK",
        "description": "Lima keluarga di RT 03 masih memakai kakus tanpa septictank di bantaran sungai.",
        "rw": "05",
        "households": 5,
        "kms_households": 3,
        "cost_rp": 15_000_000,
        "deadline": date.today() + timedelta(days=60),
        "urgency": "tinggi",
        "partial_ok": False,
        "beneficiaries": "Bu Sarinah (RT 03), Pak Wagiman (RT 03)",
        "contact_phone": "081234567890",
    }
    data.update(overrides)
    return data


def make_need(session, kampung=None, status=NeedStatus.VERIFIED, actor=None, **overrides):
    """A need (verified unless asked otherwise) of `kampung` (a new one if not given)."""
    kampung = kampung or make_kampung(session)
    need = create_need(session, actor, kampung, need_data(**overrides), status=NeedStatus.DRAFT)
    if status != NeedStatus.DRAFT:
        need.status = status
        session.flush()
    return need


def offer_data(**overrides):
    data = {
        "kind": "dana",
        "title": "CSR sanitasi layak",
        "description": "Dana pembangunan jamban sehat dan tangki septik komunal.",
        "capacity_rp": 50_000_000,
        "valid_until": date.today() + timedelta(days=180),
        "categories": ["sanitation"],
        "areas": [],
    }
    data.update(overrides)
    return data


def make_offer(session, organisation=None, status=OfferStatus.ACTIVE, **overrides):
    """An offer (active unless asked otherwise) of `organisation` (a new verified one if not given)."""
    organisation = organisation or make_organisation(session)
    offer = create_offer(session, None, organisation, offer_data(**overrides), status=OfferStatus.DRAFT)
    if status != OfferStatus.DRAFT:
        offer.status = status
        session.flush()
    return offer


def make_latrine_pair(session):
    """A need and an offer the matcher pairs (a kampung's latrines, a company's latrine programme
    with money to spare): (need, offer), flushed, not committed."""
    need = make_need(session, title="Kakus dan septictank", cost_rp=12_000_000,
                     description="Empat keluarga belum punya kakus sehat dan septictank.")
    offer = make_offer(session, title="CSR jamban sehat", capacity_rp=40_000_000,
                       description="Pembangunan jamban sehat dan tangki septik.")
    return need, offer


# --- need attachments: small real files made in memory -------------------------------------

def png_bytes(size=(8, 6), colour=(200, 30, 30)) -> bytes:
    """A real (tiny) PNG."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size=(16, 12), colour=(30, 120, 200), gps=False) -> bytes:
    """A real (tiny) JPEG; with `gps` it carries EXIF with a GPS position in Yogyakarta."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "KameraHP"  # Make
        exif[0x8825] = {1: "S", 2: (7.0, 47.0, 30.0), 3: "E", 4: (110.0, 21.0, 40.0)}  # GPSInfo
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    """A minimal one-page PDF."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def upload(data: bytes, filename: str):
    """A file as a form would send it."""
    import io

    from werkzeug.datastructures import FileStorage

    return FileStorage(stream=io.BytesIO(data), filename=filename)


def make_attachment(session, need, data=None, filename="foto.png", actor=None):
    """An attachment of `need` stored through the real service (PNG unless `data` is given)."""
    from gandeng.needs.attachments import add_attachments

    return add_attachments(session, actor, need, [upload(data or png_bytes(), filename)])[0]


# --- proposals and collaborations (commitments) ---------------------------------------------

def proposal_for(session, need, offer, amount_rp=None, **overrides):
    """An open proposal of `amount_rp` (default: what is left of the need) of `offer` for `need`."""
    from gandeng.proposals.models import Proposal

    proposal = Proposal(
        need_id=need.id, offer_id=offer.id,
        amount_rp=amount_rp if amount_rp is not None else need.cost_rp - need.committed_rp,
        score=overrides.pop("score", 0.75),
        breakdown=overrides.pop("breakdown", {"text": 0.5, "category": 1.0, "geography": 0.8,
                                              "urgency": 0.6, "poverty": 0.5}),
        reasons=overrides.pop("reasons", ["kategori sama: Sanitasi"]),
        **overrides,
    )
    session.add(proposal)
    session.flush()
    return proposal


def make_collaboration(session, need=None, offer=None, amount_rp=None, staff=None, status="awaiting_partner"):
    """A collaboration made through the real services: a proposal approved by staff, then (for
    status in_progress / reported / completed) confirmed by staff, completion reported by a partner
    of the offer's organisation and confirmed by a coordinator of the need's kampung."""
    from gandeng.collaborations import services

    need = need or make_need(session)
    offer = offer or make_offer(session)
    staff = staff or make_staff(session)
    commitment = services.approve_proposal(session, staff, proposal_for(session, need, offer, amount_rp))
    if status in ("in_progress", "reported", "completed"):
        services.confirm_collaboration(session, staff, commitment)
    if status in ("reported", "completed"):
        partner = make_partner(session, organisation=offer.organisation)
        services.report_completion(session, partner, commitment, 12, "Jamban selesai dibangun.")
    if status == "completed":
        coordinator = make_coordinator(session, kampung=need.kampung)
        services.confirm_completion(session, coordinator, commitment)
    return commitment


# --- matching runs and proposals -----------------------------------------------------------

def make_run(session, started_by=None, status="done", **overrides):
    """A matching run (finished unless asked otherwise)."""
    from gandeng.db import utcnow
    from gandeng.proposals.models import MatchingRun

    data = dict(started_by_id=getattr(started_by, "id", None), status=status, stage=status,
                progress=100 if status == "done" else 0, counts={}, unmatched=[],
                finished_at=utcnow() if status == "done" else None)
    data.update(overrides)
    run = MatchingRun(**data)
    session.add(run)
    session.flush()
    return run



def make_completed_collaboration(session, need, offer, amount_rp=None, realised_rp=0, beneficiaries=10,
                                 completed_at=None, photos=0, status="completed"):
    """A collaboration taken through the real services: approved, confirmed, a progress report with
    `realised_rp` and `photos` PNG photos, then (for status "completed") completion reported by a
    partner and confirmed by a coordinator; `completed_at` (naive UTC) set when given."""
    from gandeng.collaborations import services

    commitment = make_collaboration(session, need=need, offer=offer, amount_rp=amount_rp, status="in_progress")
    partner = make_partner(session, organisation=offer.organisation)
    if realised_rp or photos:
        services.report_progress(session, partner, commitment, 50, "Pekerjaan berjalan.", realised_rp,
                                 [upload(png_bytes(), f"hasil{i}.png") for i in range(photos)])
    if status == "completed":
        services.report_completion(session, partner, commitment, beneficiaries, "Selesai.")
        services.confirm_completion(session, make_coordinator(session, kampung=need.kampung), commitment)
        if completed_at is not None:
            commitment.completed_at = completed_at
            session.flush()
    return commitment


_PHONE_PHOTO: list[bytes] = []


def phone_photo_bytes() -> bytes:
    """An 8 MB, 48-megapixel (8000 × 6000) JPEG like a phone's camera makes: smooth noise saved at
    quality 90 so it does not compress away. Made once per test process (it takes about a second)."""
    if not _PHONE_PHOTO:
        import io

        from PIL import Image

        channels = [Image.effect_noise((500, 375), 60).resize((8000, 6000), Image.Resampling.BILINEAR)
                    for _ in range(3)]
        out = io.BytesIO()
        Image.merge("RGB", channels).save(out, "JPEG", quality=90)
        _PHONE_PHOTO.append(out.getvalue())
    return _PHONE_PHOTO[0]


# Sister pairing (issue 17)
def make_sister_kampung(session, name=None, kelurahan_code="34.71.01.1001", themes=(), households=100,
                        kms_households=20, verified=True):
    """A kampung with its sister profile."""
    from gandeng.sister.models import KampungSisterProfile, join_themes

    kampung = make_kampung(session, name, kelurahan_code, verified=verified)
    session.add(KampungSisterProfile(kampung_id=kampung.id, households=households, kms_households=kms_households,
                                     themes=join_themes(themes)))
    session.flush()
    return kampung


def make_sister_partner(session, name=None, org_type="kampus", home="34.71.01.1001", capacity=3, themes=()):
    """A campus or company with its sister profile (home kelurahan code, capacity, themes)."""
    from gandeng.sister.models import PartnerSisterProfile, join_themes

    organisation = make_organisation(session, name, org_type)
    session.add(PartnerSisterProfile(organisation_id=organisation.id, capacity=capacity, themes=join_themes(themes),
                                     home_kelurahan_code=home, contact_name="Narahubung"))
    session.flush()
    return organisation


def make_published_sister_pair(session, year=2027, published_at=None):
    """A published sister pairing of one kampung with a campus and a company, and a user of each party:
    returns (pair, {"coordinator", "campus", "company", "staff", "outsider"})."""
    from datetime import datetime

    from gandeng.sister.models import RoundStatus, SisterPair, SisterRound

    kampung = make_sister_kampung(session, "Kampung Sister", "34.71.01.1001", themes=["sanitation"])
    campus = make_sister_partner(session, "Kampus Sister", "kampus", "34.71.01.1001", 2, ["sanitation"])
    company = make_sister_partner(session, "PT Sister", "korporat", "34.71.01.1001", 2, ["sanitation"])
    other = make_organisation(session, "PT Lain", "korporat")
    sister_round = SisterRound(year=year, status=RoundStatus.PUBLISHED,
                               published_at=published_at or datetime(year - 1, 12, 1))
    session.add(sister_round)
    session.flush()
    pair = SisterPair(round_id=sister_round.id, kampung_id=kampung.id, campus_id=campus.id, company_id=company.id,
                      campus_km=0.0, company_km=0.0, campus_themes="sanitation", company_themes="sanitation")
    session.add(pair)
    session.flush()
    users = {
        "coordinator": make_coordinator(session, kampung=kampung, phone=""),
        "campus": make_partner(session, organisation=campus),
        "company": make_partner(session, organisation=company),
        "staff": make_staff(session),
        "outsider": make_partner(session, organisation=other),
    }
    return pair, users
# --- Nglarisi (issue 18) ------------------------------------------------------------------------

def make_group(session, name=None, kelurahan_code="34.71.01.1001", status="verified", capacity=100, price=20_000,
               lead_time_hours=24, **fields):
    """A kelompok (verified by default) with one menu item at `price` per portion."""
    from gandeng.nglarisi.services import create_group

    return create_group(session, None, name=name or f"Kelompok Dapur {next(_seq)}", kelurahan_code=kelurahan_code,
                        status=status, menu=[("Nasi kotak ayam", price)], capacity_per_day=capacity,
                        lead_time_hours=lead_time_hours, members_count=8, kms_members_count=3,
                        contact_phone=fields.pop("contact_phone", "0812 2700 1234"), **fields)


def make_office_user(session, office_name="Dinas Kesehatan", **overrides):
    from gandeng.nglarisi.services import get_or_create_office, link_account

    user = make_user(session, Role.OFFICE, **overrides)
    link_account(session, user, office=get_or_create_office(session, office_name))
    return user


def make_group_user(session, group=None, **overrides):
    from gandeng.nglarisi.services import link_account

    user = make_user(session, Role.GROUP, **overrides)
    link_account(session, user, group=group or make_group(session))
    return user
