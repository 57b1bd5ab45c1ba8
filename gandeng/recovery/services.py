"""Password reset: ask for a link, staff make one, use it once within 30 minutes."""
import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select, update

from gandeng.accounts.models import User, UserStatus
from gandeng.accounts.passwords import hash_password
from gandeng.accounts.password_policy import password_problems
from gandeng.accounts.phones import phone_or_none
from gandeng.accounts.services import end_sessions, normalise_email
from gandeng.api.auth import revoke_all_tokens
from gandeng.audit.services import record
from gandeng.db import utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.notifications.services import notify
from gandeng.recovery.models import PasswordReset

VALID_FOR = timedelta(minutes=30)
TOKEN_BYTES = 32


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def reset_path(token: str) -> str:
    return f"/password/reset/{token}"


def find_account(session, identifier: str) -> User | None:
    """The account an e-mail address or a phone number (any form) names, or None."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        return session.scalar(select(User).where(User.email == normalise_email(identifier)))
    phone = phone_or_none(identifier)
    if phone is None:
        return None
    return session.scalars(select(User).where(User.phone == phone).order_by(User.id)).first()


def issue_reset(session, user: User, created_by=None, now=None) -> str:
    """A new one-time token for `user` (earlier unused ones stop working); only its hash is stored."""
    now = now or utcnow()
    session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id,
                                                PasswordReset.used_at.is_(None)).values(used_at=now))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    reset = PasswordReset(user_id=user.id, token_hash=_hash(token), created_at=now, expires_at=now + VALID_FOR,
                          created_by_id=getattr(created_by, "id", None))
    session.add(reset)
    session.flush()
    record(session, created_by, "password.reset_issued", user,
           after={"by_staff": created_by is not None, "expires_at": reset.expires_at.isoformat()})
    return token


def request_reset(session, identifier: str, now=None) -> bool:
    """`/password/forgot`: a link by e-mail and/or WhatsApp to an active account the identifier names.
    The caller answers the same whatever this returns (no one learns which accounts exist)."""
    user = find_account(session, identifier)
    if user is None or user.status != UserStatus.ACTIVE:
        return False
    token = issue_reset(session, user, now=now)
    notify(session, [user], "password.reset",
           _l("Ada permintaan mengatur ulang kata sandi akun Gandeng Gendong Anda. Buka tautan ini dalam 30 "
              "menit (sekali pakai). Abaikan jika bukan Anda yang meminta."),
           reset_path(token), _l("Atur ulang kata sandi Gandeng Gendong"), inapp=False, secret=True, now=now)
    return True


def staff_reset_link(session, actor, user: User) -> str:
    """Staff make a link to hand over (coordinators without e-mail); shown once, never stored."""
    if actor is None or not actor.is_staff:
        raise NotAllowed(_("Hanya petugas kota yang dapat membuat tautan atur ulang kata sandi."))
    if user.is_staff and actor.role != "admin":
        raise NotAllowed(_("Hanya admin yang dapat membuat tautan untuk akun petugas."))
    if user.status == UserStatus.SUSPENDED:
        raise DomainError(_("Akun ini dinonaktifkan; aktifkan dahulu."))
    return issue_reset(session, user, created_by=actor)


def valid_reset(session, token: str, now=None) -> PasswordReset | None:
    """The unused, unexpired reset for `token`, or None."""
    now = now or utcnow()
    if not token or len(token) > 200:
        return None
    reset = session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        return None
    return reset


def reset_password(session, token: str, password: str, now=None) -> User:
    """Set a new password with a valid link; the link is spent, every session ends and every API token
    of the account is revoked."""
    now = now or utcnow()
    reset = valid_reset(session, token, now)
    if reset is None:
        raise DomainError(_("Tautan ini tidak berlaku lagi (sudah dipakai atau lewat 30 menit). Minta tautan baru."))
    user = reset.user
    problems = password_problems(password, user.email, user.name)
    if problems:
        raise DomainError(" ".join(problems), "password")
    # Spent first, conditionally: two tabs posting the same link cannot both succeed.
    spent = session.execute(update(PasswordReset).where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
                            .values(used_at=now).execution_options(synchronize_session="fetch")).rowcount
    if not spent:
        raise DomainError(_("Tautan ini tidak berlaku lagi (sudah dipakai atau lewat 30 menit). Minta tautan baru."))
    user.password_hash = hash_password(password)
    end_sessions(session, user)
    revoked = revoke_all_tokens(session, user, actor=user)
    record(session, user, "password.reset", user, after={"sessions_ended": True, "api_tokens_revoked": revoked})
    notify(session, [user], "password.changed",
           _l("Kata sandi akun Anda baru saja diubah. Jika bukan Anda, segera hubungi petugas kota."), "/login",
           _l("Kata sandi Gandeng Gendong Anda diubah"), now=now)
    return user


def change_password(session, actor, current: str, new: str) -> None:
    """The signed-in user changes their password (knowing the current one); other sessions and
    every API token end."""
    from gandeng.accounts.passwords import check_password

    if actor is None:
        raise NotAllowed(_("Silakan masuk terlebih dahulu."))
    if not check_password(actor.password_hash, current or ""):
        raise DomainError(_("Kata sandi sekarang salah."), "current_password")
    problems = password_problems(new, actor.email, actor.name)
    if problems:
        raise DomainError(" ".join(problems), "password")
    actor.password_hash = hash_password(new)
    end_sessions(session, actor)
    # A token issued under the old password must not outlive it (an API client re-authenticates).
    revoked = revoke_all_tokens(session, actor, actor=actor)
    record(session, actor, "password.change", actor, after={"sessions_ended": True, "api_tokens_revoked": revoked})
