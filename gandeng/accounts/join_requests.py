"""Joining an existing organisation or kampung: an explicit request that its members (or staff) decide.

Registration never attaches a newcomer to an organisation or kampung that already exists (anyone can
type its name): the account waits without one, and a `JoinRequest` asks that organisation's active
partners, or that kampung's active coordinators, or city staff, to vouch for the newcomer.
"""
from datetime import datetime
from enum import StrEnum

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gandeng.accounts.models import Kampung, Organisation, Role, User, UserStatus
from gandeng.accounts.policies import is_staff, signed_in
from gandeng.audit.services import record
from gandeng.db import db, utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.notifications.services import notify

JOIN_PAGE = "/join-requests"


class JoinStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class JoinRequest(db.Model):
    """A registered (pending) account asking to join one existing organisation or kampung."""

    __tablename__ = "join_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    kampung_id: Mapped[int | None] = mapped_column(ForeignKey("kampung.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=JoinStatus.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation | None] = relationship()
    kampung: Mapped[Kampung | None] = relationship()

    @property
    def target_name(self) -> str:
        return self.organisation.name if self.organisation is not None else self.kampung.name


def _members_filter(request: JoinRequest):
    if request.organisation_id is not None:
        return (User.role == Role.PARTNER) & (User.organisation_id == request.organisation_id)
    return (User.role == Role.COORDINATOR) & (User.kampung_id == request.kampung_id)


def is_member_for(user, request: JoinRequest) -> bool:
    """The user already belongs to the organisation or kampung the request wants to join."""
    if not signed_in(user):
        return False
    if request.organisation_id is not None:
        return user.role == Role.PARTNER and user.organisation_id == request.organisation_id
    return user.role == Role.COORDINATOR and user.kampung_id == request.kampung_id


def can_decide_join_request(user, request: JoinRequest) -> bool:
    """Existing members of the organisation or kampung, and staff, decide a request to join it."""
    return is_staff(user) or is_member_for(user, request)


def open_request_of(session, user: User) -> JoinRequest | None:
    """The user's undecided request to join, if any."""
    return session.scalar(select(JoinRequest).where(JoinRequest.user_id == user.id,
                                                    JoinRequest.status == JoinStatus.PENDING))


def pending_requests_for(session, actor) -> list[JoinRequest]:
    """The undecided requests `actor` may decide, oldest first: staff all, members their own."""
    query = select(JoinRequest).where(JoinRequest.status == JoinStatus.PENDING).order_by(JoinRequest.id)
    if not actor.is_staff:
        if actor.role == Role.PARTNER and actor.organisation_id:
            query = query.where(JoinRequest.organisation_id == actor.organisation_id)
        elif actor.role == Role.COORDINATOR and actor.kampung_id:
            query = query.where(JoinRequest.kampung_id == actor.kampung_id)
        else:
            return []
    return list(session.scalars(query))


def request_to_join(session, user: User, organisation: Organisation | None = None,
                    kampung: Kampung | None = None) -> JoinRequest:
    """Record the newcomer's request and tell the organisation's or kampung's members."""
    request = JoinRequest(user=user, organisation=organisation, kampung=kampung, status=JoinStatus.PENDING)
    session.add(request)
    session.flush()
    record(session, user, "join_request.create", request,
           after={"user_id": user.id, "organisation_id": request.organisation_id, "kampung_id": request.kampung_id})
    members = session.scalars(select(User).where(_members_filter(request), User.status == UserStatus.ACTIVE))
    notify(session, members, "join_request.create",
           _l("Seseorang meminta bergabung dengan %(name)s. Setujui hanya jika Anda mengenalnya.",
              name=request.target_name), JOIN_PAGE)
    return request


def _decide(session, actor, request: JoinRequest) -> None:
    if not can_decide_join_request(actor, request):
        raise NotAllowed(_("Hanya anggota %(name)s atau petugas kota yang dapat memutuskan permintaan ini.",
                           name=request.target_name))
    if request.status != JoinStatus.PENDING:
        raise DomainError(_("Permintaan ini sudah diputuskan."))
    if request.user.status != UserStatus.PENDING:
        raise DomainError(_("Akun ini tidak lagi menunggu."))
    request.decided_at = utcnow()
    request.decided_by_id = actor.id


def approve_join_request(session, actor, request: JoinRequest) -> None:
    """The newcomer becomes an active member of the organisation or kampung."""
    _decide(session, actor, request)
    user = request.user
    request.status = JoinStatus.APPROVED
    user.organisation = request.organisation
    user.kampung = request.kampung
    user.status = UserStatus.ACTIVE
    user.verified_at = user.verified_at or utcnow()
    session.flush()
    record(session, actor, "join_request.approve", request,
           after={"user_id": user.id, "organisation_id": request.organisation_id, "kampung_id": request.kampung_id})
    notify(session, [user], "join_request.approve",
           _l("Permintaan Anda bergabung dengan %(name)s disetujui. Akun Anda aktif.", name=request.target_name),
           "/", _l("Akun Gandeng Gendong Anda aktif"))


def refuse_join_request(session, actor, request: JoinRequest) -> None:
    """The newcomer is not let in; the account stays blocked (as a refused registration)."""
    _decide(session, actor, request)
    request.status = JoinStatus.REFUSED
    request.user.status = UserStatus.SUSPENDED
    session.flush()
    record(session, actor, "join_request.refuse", request, after={"user_id": request.user_id})
