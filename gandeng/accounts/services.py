"""Account operations: create, register, authenticate, verify, suspend, change roles."""
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select, update

from gandeng.accounts.models import Kampung, Organisation, OrgType, Role, User, UserStatus
from gandeng.accounts.password_policy import password_problems
from gandeng.accounts.passwords import burn_time, check_password, hash_password
from gandeng.accounts.phones import normalise_phone
from gandeng.audit.services import record
from gandeng.db import utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.labels import ROLE
from gandeng.notifications.services import notify
from gandeng.reference.models import Kelurahan
from gandeng.reference.services import normalise_name

MIN_PASSWORD = 8  # kept for callers; the rules live in password_policy


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def user_by_email(session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def find_organisation(session, name: str) -> Organisation | None:
    """The organisation named `name`, ignoring case and surrounding spaces."""
    name = " ".join((name or "").split())
    return session.scalar(select(Organisation).where(func.lower(Organisation.name) == name.lower()))


def _organisation_name(name: str, org_type: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Nama organisasi wajib diisi."), "organisation")
    if org_type not in set(OrgType):
        raise DomainError(_("Jenis organisasi harus korporat, kampus atau komunitas."), "org_type")
    return name


def get_or_create_organisation(session, name: str, org_type: str, verified: bool = False) -> Organisation:
    """The organisation of that name, created (and verified if asked) when missing."""
    name = _organisation_name(name, org_type)
    organisation = find_organisation(session, name)
    if organisation is None:
        organisation = _add(session, Organisation(name=name, type=org_type,
                                                  verified_at=utcnow() if verified else None))
    elif verified and organisation.verified_at is None:
        organisation.verified_at = utcnow()
    return organisation


def _add(session, row):
    """Insert `row` now: a concurrent twin (same unique name) raises IntegrityError here."""
    session.add(row)
    session.flush()
    return row


def _new_kampung(name: str, kelurahan_code: str, verified: bool = False) -> Kampung:
    return Kampung(name=name, name_key=normalise_name(name), kelurahan_code=kelurahan_code,
                   verified_at=utcnow() if verified else None)


def find_kampung(session, name: str, kelurahan_code: str) -> Kampung | None:
    return session.scalar(
        select(Kampung).where(
            Kampung.kelurahan_code == kelurahan_code, Kampung.name_key == normalise_name(name)
        )
    )


def _kampung_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not normalise_name(name):
        raise DomainError(_("Nama kampung wajib diisi."), "kampung")
    return name


def get_or_create_kampung(session, name: str, kelurahan_code: str, verified: bool = False) -> Kampung:
    """The kampung of that name in the kelurahan, created when missing."""
    name = _kampung_name(name)
    kampung = find_kampung(session, name, kelurahan_code)
    if kampung is None:
        kampung = _add(session, _new_kampung(name, kelurahan_code, verified))
    elif verified and kampung.verified_at is None:
        kampung.verified_at = utcnow()
    return kampung


def _check_new_user(session, email: str, password: str, role: str, kampung, organisation, name: str = "",
                    password_rules: bool = True, joining: bool = False):
    if "@" not in email or len(email) > 254:
        raise DomainError(_("Alamat email tidak sah."), "email")
    if user_by_email(session, email) is not None:
        raise DomainError(_("Email ini sudah terdaftar."), "email")
    problems = password_problems(password, email, name) if password_rules else []
    if problems:
        raise DomainError(" ".join(problems), "password")
    if role not in set(Role):
        raise DomainError(_("Peran tidak dikenal."), "role")
    if role == Role.COORDINATOR and kampung is None and not joining:
        raise DomainError(_("Koordinator harus terhubung ke satu kampung."), "kampung")
    if role == Role.PARTNER and organisation is None and not joining:
        raise DomainError(_("Mitra harus terhubung ke satu organisasi."), "organisation")


def create_user(session, actor, *, email, name, role, password, phone="", kampung=None,
                organisation=None, status=UserStatus.ACTIVE, password_rules: bool = True,
                joining: bool = False) -> User:
    """A new user; coordinators need a kampung, partners an organisation (unless `joining`: a
    pending newcomer who gets one only when a join request is approved). The password must pass
    `password_policy.password_problems`; only the demo seeder (documented, local-only passwords such as
    "demo-admin-123" for admin@demo…) passes `password_rules=False`."""
    email = normalise_email(email)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Nama wajib diisi."), "name")
    _check_new_user(session, email, password, role, kampung, organisation, name, password_rules, joining)
    user = User(
        email=email,
        name=name,
        phone=normalise_phone(phone),
        password_hash=hash_password(password),
        role=role,
        status=status,
        kampung=kampung if role == Role.COORDINATOR else None,
        organisation=organisation if role == Role.PARTNER else None,
        verified_at=utcnow() if status == UserStatus.ACTIVE else None,
    )
    session.add(user)
    session.flush()
    record(session, actor, "user.create", user, after={"role": role, "status": str(status)})
    return user


def register(session, *, email, name, phone, password, role, kelurahan_code=None,
             kampung_name=None, organisation_name=None, org_type=None, join_existing=False,
             consent_version: str = "") -> User:
    """Self-registration of a coordinator or partner; the account waits for staff. `consent_version` is the
    version of the terms and privacy notice the person agreed to (stored with the time, issue 19). Naming an
    organisation or kampung that already exists never makes one its member: with `join_existing`
    the account waits on a join request that its members or staff decide; without, the form says so."""
    from gandeng.accounts.join_requests import request_to_join

    if role not in (Role.COORDINATOR, Role.PARTNER):
        raise DomainError(_("Pendaftaran hanya untuk koordinator kampung atau mitra."), "role")
    kampung = organisation = existing = None
    if role == Role.COORDINATOR:
        if not kelurahan_code:
            raise DomainError(_("Pilih kelurahan."), "kelurahan")
        field, kampung_name = "kampung", _kampung_name(kampung_name)
        existing = find_kampung(session, kampung_name, kelurahan_code)
        if existing is None:  # never "get or create": a twin created meanwhile must fail, not be joined
            kampung = _add(session, _new_kampung(kampung_name, kelurahan_code))
    else:
        field, organisation_name = "organisation", _organisation_name(organisation_name, org_type)
        existing = find_organisation(session, organisation_name)
        if existing is None:
            organisation = _add(session, Organisation(name=organisation_name, type=org_type))
    if existing is None:
        return _consented(create_user(session, None, email=email, name=name, phone=phone, password=password,
                                      role=role, kampung=kampung, organisation=organisation,
                                      status=UserStatus.PENDING), consent_version)
    if not join_existing:
        raise DomainError(_("%(name)s sudah terdaftar. Anda tidak otomatis menjadi anggotanya: centang "
                            "\"Minta bergabung\" untuk mengirim permintaan yang diputuskan oleh anggotanya "
                            "atau petugas kota.", name=existing.name), field)
    user = create_user(session, None, email=email, name=name, phone=phone, password=password, role=role,
                       status=UserStatus.PENDING, joining=True)
    request_to_join(session, user, **{field: existing})
    return _consented(user, consent_version)


def _consented(user: User, consent_version: str) -> User:
    if consent_version:
        user.consent_version = consent_version
        user.consent_at = utcnow()
    return user


def authenticate(session, email: str, password: str) -> User:
    """The user with these credentials, or a DomainError that says why not."""
    user = user_by_email(session, email)
    if user is None:
        burn_time(password or "")
        raise DomainError(_("Email atau kata sandi salah."))
    if not check_password(user.password_hash, password or ""):
        raise DomainError(_("Email atau kata sandi salah."))
    if user.status == UserStatus.PENDING:
        raise DomainError(_("Akun Anda masih menunggu verifikasi petugas kota."))
    if user.status == UserStatus.SUSPENDED:
        raise DomainError(_("Akun Anda dinonaktifkan. Hubungi petugas kota."))
    user.last_login_at = utcnow()
    return user


def end_sessions(session, user: User) -> None:
    """Make every session cookie issued so far useless (logout, password change, suspension)."""
    user.session_version = (user.session_version or 1) + 1
    session.flush()


def end_access(session, user: User) -> None:
    """Sessions and API tokens both end (suspension, role change, password change); a later
    re-activation does not bring them back."""
    from gandeng.api.auth import revoke_all_tokens

    end_sessions(session, user)
    revoke_all_tokens(session, user)


def _require_staff(actor):
    if actor is None or not actor.is_staff:
        raise NotAllowed(_("Hanya petugas kota yang dapat melakukan ini."))


def verify_user(session, actor, user: User) -> None:
    """Staff activate a registered (or re-activate a suspended) account, and the new kampung it brought."""
    _require_staff(actor)
    if user.role == Role.ADMIN and actor.role != Role.ADMIN:
        raise NotAllowed(_("Hanya admin yang dapat mengaktifkan admin."))
    if user.status == UserStatus.ACTIVE:
        raise DomainError(_("Akun ini sudah aktif."))
    from gandeng.accounts.join_requests import open_request_of

    joining = open_request_of(session, user)
    if joining is not None:  # activating would leave a partner without organisation: decide the request
        raise DomainError(_("Akun ini meminta bergabung dengan %(name)s: setujui atau tolak di halaman "
                            "Permintaan bergabung.", name=joining.target_name))
    if (user.role == Role.PARTNER and user.organisation is None) or (
            user.role == Role.COORDINATOR and user.kampung is None):
        raise DomainError(_("Akun ini belum terhubung ke organisasi atau kampung; ubah perannya dulu."))
    before = user.status
    user.status = UserStatus.ACTIVE
    user.verified_at = user.verified_at or utcnow()
    if user.kampung is not None and user.kampung.verified_at is None:
        user.kampung.verified_at = utcnow()
    record(session, actor, "user.verify", user, before={"status": before}, after={"status": "active"})
    notify(session, [user], "user.verify", _l("Akun Anda sudah diverifikasi dan aktif. Selamat bergabung."),
           "/", _l("Akun Gandeng Gendong Anda aktif"))


def suspend_user(session, actor, user: User, reason: str) -> None:
    """Staff block an account; its open sessions end at once."""
    _require_staff(actor)
    if user.id == actor.id:
        raise DomainError(_("Anda tidak dapat menonaktifkan akun sendiri."))
    if user.role == Role.ADMIN and actor.role != Role.ADMIN:
        raise NotAllowed(_("Hanya admin yang dapat menonaktifkan admin."))
    if not (reason or "").strip():
        raise DomainError(_("Alasan wajib diisi."), "reason")
    if user.status == UserStatus.SUSPENDED:
        raise DomainError(_("Akun ini sudah dinonaktifkan."))
    before = user.status
    user.status = UserStatus.SUSPENDED
    end_access(session, user)
    record(session, actor, "user.suspend", user, before={"status": before},
           after={"status": "suspended"}, note=reason.strip())


def change_role(session, actor, user: User, role: str, kampung=None, organisation=None) -> None:
    """Admin changes a user's role; the new role's kampung or organisation must be given."""
    if actor is None or actor.role != Role.ADMIN:
        raise NotAllowed(_("Hanya admin yang dapat mengubah peran."))
    if role not in set(Role):
        raise DomainError(_("Peran tidak dikenal."), "role")
    if user.id == actor.id and role != Role.ADMIN:
        raise DomainError(_("Anda tidak dapat mencabut peran admin sendiri."), "role")
    kampung = kampung or (user.kampung if role == Role.COORDINATOR else None)
    organisation = organisation or (user.organisation if role == Role.PARTNER else None)
    if role == Role.COORDINATOR and kampung is None:
        raise DomainError(_("Koordinator harus terhubung ke satu kampung."), "kampung")
    if role == Role.PARTNER and organisation is None:
        raise DomainError(_("Mitra harus terhubung ke satu organisasi."), "organisation")
    kampung = kampung if role == Role.COORDINATOR else None
    organisation = organisation if role == Role.PARTNER else None
    if role == user.role and kampung is user.kampung and organisation is user.organisation:
        raise DomainError(_("Tidak ada yang berubah."), "role")
    before = {"role": user.role, "kampung_id": user.kampung_id, "organisation_id": user.organisation_id}
    user.role = role
    user.kampung = kampung
    user.organisation = organisation
    end_access(session, user)
    record(session, actor, "user.role_change", user, before=before, after={
        "role": role,
        "kampung_id": kampung.id if kampung else None,
        "organisation_id": organisation.id if organisation else None,
    })
    notify(session, [user], "user.role_change",
           _l("Peran Anda diubah menjadi %(role)s. Silakan masuk kembali.", role=ROLE[role]),
           "/login", _l("Peran akun Anda diubah"))


def verify_organisation(session, actor, organisation: Organisation) -> None:
    """Staff confirm an organisation is real; its offers may then become active."""
    _require_staff(actor)
    if organisation.verified_at is not None:
        raise DomainError(_("Organisasi ini sudah terverifikasi."))
    organisation.verified_at = utcnow()
    record(session, actor, "organisation.verify", organisation, after={"verified": True})


def verify_kampung(session, actor, kampung: Kampung) -> None:
    """Staff confirm a kampung registered by a coordinator."""
    _require_staff(actor)
    if kampung.verified_at is not None:
        raise DomainError(_("Kampung ini sudah terverifikasi."))
    kampung.verified_at = utcnow()
    record(session, actor, "kampung.verify", kampung, after={"verified": True})


ORGANISATION_FIELDS = ("name", "type", "phone", "email", "address")


def update_organisation(session, actor, organisation: Organisation, data: dict) -> bool:
    """Staff correct an organisation's name, type and contacts (its name stays unique);
    False when nothing changed (and nothing is recorded)."""
    _require_staff(actor)
    name = " ".join((data.get("name") or "").split())
    if not name:
        raise DomainError(_("Nama organisasi wajib diisi."), "name")
    if data.get("type") not in set(OrgType):
        raise DomainError(_("Jenis organisasi harus korporat, kampus atau komunitas."), "type")
    other = find_organisation(session, name)
    if other is not None and other.id != organisation.id:
        raise DomainError(_("Nama organisasi ini sudah dipakai."), "name")
    new = {"name": name, "type": data["type"],
           **{key: (data.get(key) or "").strip() for key in ("phone", "email", "address")}}
    changed = [key for key in ORGANISATION_FIELDS if getattr(organisation, key) != new[key]]
    if not changed:
        return False
    # Name and type go to the audit trail; contacts only by field name.
    before = {key: getattr(organisation, key) for key in ("name", "type") if key in changed}
    for key in changed:
        setattr(organisation, key, new[key])
    session.flush()
    record(session, actor, "organisation.update", organisation, before=before,
           after={**{key: new[key] for key in before}, "fields": changed})
    return True


def create_kampung(session, actor, name: str, kelurahan_code: str) -> Kampung:
    """Staff add a kampung; one they add counts as verified."""
    _require_staff(actor)
    name = " ".join((name or "").split())
    if not normalise_name(name):
        raise DomainError(_("Nama kampung wajib diisi."), "name")
    if session.get(Kelurahan, kelurahan_code or "") is None:
        raise DomainError(_("Pilih kelurahan."), "kelurahan")
    if find_kampung(session, name, kelurahan_code) is not None:
        raise DomainError(_("Kampung ini sudah ada di kelurahan tersebut."), "name")
    kampung = get_or_create_kampung(session, name, kelurahan_code, verified=True)
    record(session, actor, "kampung.create", kampung,
           after={"name": kampung.name, "kelurahan_code": kelurahan_code})
    return kampung


def update_kampung(session, actor, kampung: Kampung, name: str, kelurahan_code: str) -> bool:
    """Staff correct a kampung's name or kelurahan (its needs follow it to the new kelurahan);
    False when nothing changed (and nothing is recorded)."""
    from gandeng.needs.models import Need

    _require_staff(actor)
    name = " ".join((name or "").split())
    if not normalise_name(name):
        raise DomainError(_("Nama kampung wajib diisi."), "name")
    if session.get(Kelurahan, kelurahan_code or "") is None:
        raise DomainError(_("Pilih kelurahan."), "kelurahan")
    other = find_kampung(session, name, kelurahan_code)
    if other is not None and other.id != kampung.id:
        raise DomainError(_("Kampung ini sudah ada di kelurahan tersebut."), "name")
    if kampung.name == name and kampung.kelurahan_code == kelurahan_code:
        return False
    before = {"name": kampung.name, "kelurahan_code": kampung.kelurahan_code}
    kampung.name = name
    kampung.name_key = normalise_name(name)
    if kampung.kelurahan_code != kelurahan_code:
        kampung.kelurahan_code = kelurahan_code
        kampung.kelurahan = session.get(Kelurahan, kelurahan_code)
        # Needs copy their kampung's kelurahan so that lists filter without a join.
        session.execute(
            update(Need).where(Need.kampung_id == kampung.id).values(kelurahan_code=kelurahan_code)
        )
    session.flush()
    record(session, actor, "kampung.update", kampung, before=before,
           after={"name": name, "kelurahan_code": kelurahan_code})
    return True
