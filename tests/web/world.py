"""A small world for permission tests: two kampung, two organisations, one user of each role,
and needs and offers in the states the routes care about."""
from gandeng.accounts.models import UserStatus
from gandeng.needs.models import NeedStatus
from gandeng.offers.models import OfferStatus
from tests import factories as f


def build_world(session) -> dict:
    """Objects by name; `ids` maps placeholder names to ids for the paths."""
    kampung = f.make_kampung(session, "Kampung Anggrek", "34.71.01.1001")
    other_kampung = f.make_kampung(session, "Kampung Melati", "34.71.05.1002")
    org = f.make_organisation(session, "PT Bank Jogja Sejahtera", "korporat")
    other_org = f.make_organisation(session, "Universitas Contoh", "kampus")
    users = {
        "coordinator": f.make_coordinator(session, kampung=kampung, email="koor@contoh.id"),
        "other_coordinator": f.make_coordinator(session, kampung=other_kampung, email="koor2@contoh.id"),
        "partner": f.make_partner(session, organisation=org, email="mitra@contoh.id"),
        "other_partner": f.make_partner(session, organisation=other_org, email="mitra2@contoh.id"),
        "staff": f.make_staff(session, email="petugas@contoh.id"),
        "admin": f.make_admin(session, email="admin@contoh.id"),
        "office": f.make_office_user(session, "Dinas Kesehatan", email="kantor@contoh.id"),
        "group": f.make_group_user(session, f.make_group(session, name="Dapur Anggrek"), email="dapur@contoh.id"),
    }
    needs = {
        f"need_{status}": f.make_need(session, kampung=kampung, status=status, title=f"Kebutuhan {status}")
        for status in (NeedStatus.DRAFT, NeedStatus.SUBMITTED, NeedStatus.RETURNED, NeedStatus.VERIFIED)
    }
    offers = {
        f"offer_{status}": f.make_offer(session, organisation=org, status=status, title=f"Penawaran {status}")
        for status in (OfferStatus.DRAFT, OfferStatus.ACTIVE)
    }
    pending_user = f.make_coordinator(session, status=UserStatus.PENDING, email="baru@contoh.id")
    unverified_org = f.make_organisation(session, "Komunitas Baru", "komunitas", verified=False)
    world = {
        "users": users,
        "kampung": kampung,
        "other_kampung": other_kampung,
        "org": org,
        "other_org": other_org,
        "pending_user": pending_user,
        "unverified_org": unverified_org,
        **needs,
        **offers,
    }
    world["ids"] = {
        "kampung": kampung.id,
        "other_kampung": other_kampung.id,
        "org": org.id,
        "unverified_org": unverified_org.id,
        "pending_user": pending_user.id,
        "coordinator_user": users["coordinator"].id,
        **{name: obj.id for name, obj in {**needs, **offers}.items()},
    }
    return world
