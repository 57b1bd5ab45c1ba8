"""Nglarisi demo data for `seed-demo` (local demo only): four kelompok, an office with a log-in and a budget,
and a group log-in, so that a person can order, answer, deliver and pay. Idempotent."""
from gandeng.accounts import services as accounts
from gandeng.accounts.models import Role
from gandeng.nglarisi import services
from gandeng.nglarisi.models import GroupStatus

DOMAIN = "demo.gandeng.id"
OFFICE_LOGIN = ("kantor@" + DOMAIN, "Bagian Umum Dinas Kesehatan (demo)", "demo-kantor-123", "Dinas Kesehatan")
GROUP_LOGIN = ("kelompok@" + DOMAIN, "Bu Sri, koordinator Dapur Kricak Makmur (demo)", "demo-kelompok-123")
# name, kelurahan code, menu (name, price per portion), capacity per day, lead time (hours)
GROUPS = [
    ("Dapur Kricak Makmur", "34.71.01.1001", [("Nasi kotak ayam bakar", 25_000), ("Snack box tiga kue", 12_000)], 80, 24),
    ("Boga Wirobrajan", "34.71.07.1002", [("Nasi kotak rendang", 30_000), ("Snack box", 10_000)], 60, 24),
    ("Pawon Gedongkiwo", "34.71.08.1001", [("Nasi liwet komplit", 27_000)], 100, 48),
    ("Jajan Pasar Terban", "34.71.03.1005", [("Jajan pasar empat macam", 9_000)], 150, 12),
]
BUDGET_RP = 450_000_000


def seed_nglarisi(session, staff, year: int) -> dict:
    """Create what is missing; returns {"groups": n, "users": n} added."""
    from gandeng.reference.models import Kelurahan

    added = {"groups": 0, "users": 0}
    first = None
    for name, code, menu, capacity, lead in GROUPS:
        group = services.find_group(session, name)
        if group is None and session.get(Kelurahan, code) is not None:
            group = services.create_group(session, staff, name=name, kelurahan_code=code,
                                          status=GroupStatus.VERIFIED, menu=menu, capacity_per_day=capacity,
                                          lead_time_hours=lead, members_count=10, kms_members_count=4,
                                          contact_phone="0812 2700 0000",
                                          description="Masakan rumahan kelompok Gandeng Gendong (data demo).")
            added["groups"] += 1
        first = first or group
    email, person, password, office_name = OFFICE_LOGIN
    office = services.get_or_create_office(session, office_name)
    if accounts.user_by_email(session, email) is None:
        user = accounts.create_user(session, None, email=email, name=person, role=Role.OFFICE, password=password,
                                    password_rules=False)  # published demo password, like the others
        services.link_account(session, user, office=office)
        services.set_office_budget(session, staff, office, year, BUDGET_RP)
        added["users"] += 1
    email, person, password = GROUP_LOGIN
    if first is not None and accounts.user_by_email(session, email) is None:
        user = accounts.create_user(session, None, email=email, name=person, role=Role.GROUP, password=password,
                                    password_rules=False)
        services.link_account(session, user, group=first)
        added["users"] += 1
    return added
