"""The group registry and the offices: accounts, curation, menu and calendar, bank account, members, budgets.

Services take the session and the acting user, flush and never commit. Personal data of members (name,
NIK, KMS/PKH) is read and written by staff only.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from gandeng.accounts.models import Role, User
from gandeng.accounts.phones import normalise_phone
from gandeng.accounts.policies import is_staff
from gandeng.audit.services import record
from gandeng.db import utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.formatting import today_wib
from gandeng.nglarisi.models import Account, Group, GroupMember, GroupStatus, MenuItem, Office, OfficeBudget
from gandeng.reference.services import normalise_name

GROUP_TRANSITIONS = {
    GroupStatus.PENDING: (GroupStatus.VERIFIED, GroupStatus.SUSPENDED),
    GroupStatus.VERIFIED: (GroupStatus.SUSPENDED,),
    GroupStatus.SUSPENDED: (GroupStatus.VERIFIED,),
}
BANK_FIELDS = ("bank_name", "bank_account_number", "bank_account_holder")
PROFILE_FIELDS = ("description", "capacity_per_day", "lead_time_hours", "max_distance_km", "contact_phone",
                  "days_off", "npwp", "pirt", "halal", *BANK_FIELDS)


def _clean_name(name: str) -> str:
    return " ".join((name or "").split())


def _require_staff(actor) -> None:
    if not is_staff(actor):
        raise NotAllowed(_("Hanya petugas kota yang dapat melakukan ini."))


# --- offices ------------------------------------------------------------------------------------

def find_office(session, name: str) -> Office | None:
    return session.scalar(select(Office).where(Office.name_key == normalise_name(name)))


def get_or_create_office(session, name: str) -> Office:
    name = _clean_name(name)
    if not normalise_name(name):
        raise DomainError(_("Nama kantor wajib diisi."), "office")
    office = find_office(session, name)
    if office is None:
        office = Office(name=name, name_key=normalise_name(name))
        session.add(office)
        session.flush()
    return office


def set_office_budget(session, actor, office: Office, year: int, amount_rp: int) -> OfficeBudget:
    """Staff enter an office's food-and-drink budget of `year` (replacing an earlier figure, audited)."""
    _require_staff(actor)
    if amount_rp < 0:
        raise DomainError(_("Anggaran tidak boleh negatif."), "food_budget_rp")
    if not 2000 <= year <= 2100:
        raise DomainError(_("Tahun tidak sah."), "year")
    budget = session.scalar(select(OfficeBudget).where(OfficeBudget.office_id == office.id,
                                                       OfficeBudget.year == year))
    before = None
    if budget is None:
        budget = OfficeBudget(office_id=office.id, year=year, food_budget_rp=amount_rp)
        session.add(budget)
    else:
        before = {"food_budget_rp": budget.food_budget_rp}
        budget.food_budget_rp, budget.updated_at = amount_rp, utcnow()
    session.flush()
    record(session, actor, "nglarisi.budget", budget, before=before,
           after={"office_id": office.id, "year": year, "food_budget_rp": amount_rp})
    return budget


# --- accounts -----------------------------------------------------------------------------------

def account_of(session, user) -> Account | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return session.get(Account, user.id)


def office_of(session, user) -> Office | None:
    account = account_of(session, user)
    return account.office if account and user.role == Role.OFFICE else None


def group_of(session, user) -> Group | None:
    account = account_of(session, user)
    return account.group if account and user.role == Role.GROUP else None


def link_account(session, user: User, *, office: Office | None = None, group: Group | None = None) -> Account:
    """Tie an `office` user to its office or a `group` user to its group (one account per group name:
    the group's name cannot be used by another account's group)."""
    if user.role == Role.OFFICE and office is None:
        raise DomainError(_("Pengguna kantor harus terhubung ke satu kantor."), "office")
    if user.role == Role.GROUP and group is None:
        raise DomainError(_("Pengguna kelompok harus terhubung ke satu kelompok."), "group")
    account = session.get(Account, user.id) or Account(user_id=user.id)
    account.office_id = office.id if office else None
    account.group_id = group.id if group else None
    session.add(account)
    session.flush()
    return account


def users_of_group(session, group: Group) -> list[User]:
    return list(session.scalars(select(User).join(Account, Account.user_id == User.id)
                                .where(Account.group_id == group.id, User.role == Role.GROUP)))


def users_of_office(session, office_id: int) -> list[User]:
    return list(session.scalars(select(User).join(Account, Account.user_id == User.id)
                                .where(Account.office_id == office_id, User.role == Role.OFFICE)))


# --- groups -------------------------------------------------------------------------------------

def find_group(session, name: str) -> Group | None:
    return session.scalar(select(Group).where(Group.name_key == normalise_name(name)))


def check_group_name(session, name: str, exclude_id: int | None = None) -> str:
    """The cleaned name, or a DomainError when empty or already taken (case, spaces and punctuation
    ignored: "Dapur Bu Sri" and "dapur bu-sri" are one name)."""
    name = _clean_name(name)
    if not normalise_name(name):
        raise DomainError(_("Nama kelompok wajib diisi."), "group")
    taken = find_group(session, name)
    if taken is not None and taken.id != exclude_id:
        raise DomainError(_("Nama kelompok %(name)s sudah dipakai kelompok lain.", name=taken.name), "group")
    return name


def create_group(session, actor, *, name: str, kelurahan_code: str, status: str = GroupStatus.PENDING,
                 menu: list[tuple[str, int]] = (), **fields) -> Group:
    """A new group (pending unless staff create it verified, as the import does)."""
    name = check_group_name(session, name)
    group = Group(name=name, name_key=normalise_name(name), kelurahan_code=kelurahan_code, status=status,
                  **fields)
    if status == GroupStatus.VERIFIED:
        group.verified_at, group.last_curated_on = utcnow(), today_wib()
    if group.contact_phone:
        group.contact_phone = normalise_phone(group.contact_phone, "contact_phone")
    for item_name, price in menu:
        group.menu.append(MenuItem(name=item_name, price_per_portion_rp=price))
    session.add(group)
    session.flush()
    record(session, actor, "nglarisi.group_create", group, after={"name": name, "status": status})
    return group


def set_group_status(session, actor, group: Group, status: str, note: str = "") -> int:
    """Curation: pending → verified → suspended (and back to verified after a new curation). Suspending
    needs a reason: it is kept in the audit row (the group's history on its staff page) and told to the
    group through its notices (accounts and contact phone). A suspended group's unanswered offers move
    on to the next group; returns how many did (orders it already accepted stay with it)."""
    from gandeng.nglarisi import notices, orders

    _require_staff(actor)
    if status not in GROUP_TRANSITIONS.get(group.status, ()):
        raise DomainError(_("Status kelompok tidak dapat diubah ke sini."), "status")
    note = " ".join((note or "").split())[:500]
    if status == GroupStatus.SUSPENDED and not note:
        raise DomainError(_("Tuliskan alasan menghentikan sementara: kelompok membacanya di pemberitahuannya."),
                          "note")
    before = {"status": group.status}
    group.status = status
    if status == GroupStatus.VERIFIED:
        group.verified_at = group.verified_at or utcnow()
        group.last_curated_on = today_wib()
    session.flush()
    record(session, actor, "nglarisi.group_status", group, before=before, after={"status": status}, note=note)
    notices.tell_group(session, group, notices.group_status(group, status, note), utcnow())
    return orders.withdraw_offers(session, group) if status == GroupStatus.SUSPENDED else 0


def status_history(session, group: Group) -> list:
    """The group's status changes, newest first (audit rows: when, who, from, to, reason)."""
    from gandeng.audit.models import AuditEvent

    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == Group.__tablename__, AuditEvent.object_id == group.id,
        AuditEvent.action.in_(("nglarisi.group_status", "nglarisi.group_create")))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(50)))


def can_edit_group(session, actor, group: Group) -> bool:
    if is_staff(actor):
        return True
    own = group_of(session, actor)
    return own is not None and own.id == group.id


def update_group(session, actor, group: Group, data: dict) -> bool:
    """The group (its own account) or staff change the profile, capacity and calendar; any change of the
    bank account clears its verification (staff verify it again) and is audited field by field."""
    if not can_edit_group(session, actor, group):
        raise NotAllowed(_("Anda tidak dapat mengubah kelompok ini."))
    if "name" in data and is_staff(actor):
        name = check_group_name(session, data.pop("name"), group.id)
        if name != group.name:
            record(session, actor, "nglarisi.group_rename", group, before={"name": group.name}, after={"name": name})
            group.name, group.name_key = name, normalise_name(name)
    data.pop("name", None)
    if "contact_phone" in data:
        data["contact_phone"] = normalise_phone(data["contact_phone"], "contact_phone")
    for number_field in ("capacity_per_day", "lead_time_hours"):
        if number_field in data and (data[number_field] is None or data[number_field] < 0):
            raise DomainError(_("Tidak boleh negatif."), number_field)
    changed = {key: value for key, value in data.items() if key in PROFILE_FIELDS and getattr(group, key) != value}
    bank = {key: value for key, value in changed.items() if key in BANK_FIELDS}
    if bank:
        record(session, actor, "nglarisi.bank_change", group,
               before={key: getattr(group, key) for key in bank}, after=bank,
               note="rekening berubah: menunggu verifikasi ulang petugas")
        group.bank_verified_at = None
    for key, value in changed.items():
        setattr(group, key, value)
    if "contact_phone" in changed:
        group.contact_whatsapp_stopped_at = None  # a new number starts without the old one's BERHENTI
    session.flush()
    return bool(changed)


def verify_bank(session, actor, group: Group) -> None:
    _require_staff(actor)
    if not group.bank_account_number:
        raise DomainError(_("Kelompok belum mengisi rekening."), "bank_account_number")
    group.bank_verified_at = utcnow()
    session.flush()
    record(session, actor, "nglarisi.bank_verify", group, after={"bank_account_number": group.bank_account_number})


def replace_menu(session, actor, group: Group, items: list[tuple[str, int]]) -> None:
    """The group's menu becomes `items` (name, price per portion)."""
    if not can_edit_group(session, actor, group):
        raise NotAllowed(_("Anda tidak dapat mengubah kelompok ini."))
    for item_name, price in items:
        if not _clean_name(item_name):
            raise DomainError(_("Nama menu wajib diisi."), "menu")
        if price <= 0:
            raise DomainError(_("Harga per porsi harus lebih dari nol."), "menu")
    group.menu.clear()
    for item_name, price in items:
        group.menu.append(MenuItem(name=_clean_name(item_name), price_per_portion_rp=price))
    session.flush()


# --- members (personal data: staff only) --------------------------------------------------------

def check_nik(nik: str) -> str:
    """The 16-digit NIK, checked with python-stdnum's `stdnum.id.nik` (province/regency code, birth date
    and format), or a DomainError."""
    from stdnum.exceptions import ValidationError
    from stdnum.id import nik as nik_check

    try:
        return nik_check.validate(nik)
    except ValidationError:
        raise DomainError(_("NIK tidak sah: harus 16 angka dengan kode wilayah dan tanggal lahir yang benar."),
                          "nik") from None


def add_member(session, actor, group: Group, *, name: str, nik: str, kms_pkh: bool,
               is_coordinator: bool = False) -> GroupMember:
    _require_staff(actor)
    name = _clean_name(name)
    if not name:
        raise DomainError(_("Nama wajib diisi."), "name")
    nik = check_nik(nik)
    if session.scalar(select(GroupMember.id).where(GroupMember.nik == nik)) is not None:
        raise DomainError(_("NIK ini sudah terdaftar sebagai anggota kelompok."), "nik")
    member = GroupMember(group=group, name=name, nik=nik, kms_pkh=kms_pkh, is_coordinator=is_coordinator)
    session.add(member)
    session.flush()
    # The curated head counts (from the import or the registration) stay unless the list outgrows them.
    group.members_count = max(group.members_count or 0, len(group.members))
    group.kms_members_count = max(group.kms_members_count or 0, sum(1 for m in group.members if m.kms_pkh))
    session.flush()
    record(session, actor, "nglarisi.member_add", group, after={"member_id": member.id})  # no NIK in the log
    return member
