"""When the public figures change: a version in the database, bumped in the same transaction as the
write, so a cached copy of /public, its open data, the map and /api/v1/stats is known stale at once
on every worker and every machine.

Writes are noticed by the session itself, whatever service makes them: an ORM flush that adds,
changes or deletes a public need (or a need leaving the public statuses), a collaboration, a
progress report or photo, an organisation's name or type, or the reference data; and ORM-enabled
bulk statements (`update(Need)…`, `insert(Need)…`) on those tables. Writes that bypass the ORM
(COPY) call `mark_public_changed(session)`. The bump itself happens just before the commit, so the
version row stays locked only for the instant of the commit and two writers cannot deadlock on it.

A second, broader version, `lists`, moves with any ORM write except rows nobody's list shows
(log-ins, notifications, the audit trail…): the signed-in lists (gandeng/list_cache.py) reuse a
rendered page of needs or offers while it holds. Both rows are bumped in the same order (public,
then lists), so two writers never wait on each other crosswise.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gandeng.accounts.models import Organisation
from gandeng.collaborations.models import Commitment, ProgressPhoto, ProgressReport
from gandeng.db import utcnow
from gandeng.needs.models import PUBLIC_STATUSES, Need
from gandeng.reference.models import Category, Kelurahan, Kemantren
from gandeng.reports.models import PublicVersion

NAME = "public"
LISTS = "lists"
_FLAG = "public_figures_changed"
_LISTS_FLAG = "lists_changed"
_BUMPED = "public_version_bumped"
# Bumps committed by this process: a copy of the stamp read before one of them is out of date.
_local_bumps = 0
# Any change to one of these rows may change a public figure.
ALWAYS = (Commitment, ProgressReport, ProgressPhoto, Category, Kelurahan, Kemantren)
# Bulk statements on these tables are taken as a change (they are rare and hard to see through).
BULK = (*ALWAYS, Need, Organisation)
ORGANISATION_PUBLIC = ("name", "type")


def _quiet_classes() -> tuple:
    """Rows whose writes change no list of needs or offers (written on log-ins, by notifications,
    the worker and the audit trail, which always accompanies a real change anyway)."""
    from gandeng.accounts.models import User
    from gandeng.api.models import ApiToken
    from gandeng.audit.models import AuditEvent
    from gandeng.notifications.models import (Notification, NotificationPreference, OutboxEmail, OutboxMessage,
                                              ReminderSent)
    from gandeng.recovery.models import PasswordReset
    from gandeng.reports.models import PublicVersion

    return (User, ApiToken, AuditEvent, Notification, NotificationPreference, OutboxEmail, OutboxMessage,
            ReminderSent, PasswordReset, PublicVersion)


_QUIET: tuple = ()


@dataclass(frozen=True)
class Stamp:
    """The public figures' version as read from the database (changed_at None: never changed)."""

    version: int
    changed_at: datetime | None

    @property
    def token(self) -> str:
        """Distinct for each version of each database (a wiped database starts again at 0)."""
        moment = self.changed_at.strftime("%Y%m%d%H%M%S%f") if self.changed_at else "0"
        return f"{self.version}-{moment}"


def current_stamp(session, name: str = NAME) -> Stamp:
    """The version the figures (or, with name=LISTS, the lists) are at now (one primary-key read)."""
    row = session.execute(
        select(PublicVersion.version, PublicVersion.changed_at).where(PublicVersion.name == name)).first()
    return Stamp(int(row[0]), row[1]) if row else Stamp(0, None)


def local_bumps() -> int:
    """How many bumps this process has committed (public_cache.recent_stamp drops its copy on a change)."""
    return _local_bumps


def mark_public_changed(session) -> None:
    """Say that this transaction changes public figures (and so the lists): the versions are
    bumped when it commits."""
    session.info[_FLAG] = True
    session.info[_LISTS_FLAG] = True


def mark_lists_changed(session) -> None:
    """Say that this transaction changes what a list of needs or offers shows (writes made
    without the ORM; ORM writes are noticed by themselves)."""
    session.info[_LISTS_FLAG] = True


def bump_public_version(session, name: str = NAME) -> None:
    """Add one to the version now, inside the session's transaction (the commit makes it visible)."""
    now = utcnow()
    done = session.execute(
        update(PublicVersion).where(PublicVersion.name == name)
        .values(version=PublicVersion.version + 1, changed_at=now)
        .execution_options(synchronize_session=False))
    if done.rowcount:
        return
    try:  # the first change of a database built without the migration's row
        with session.begin_nested():
            session.add(PublicVersion(name=name, version=1, changed_at=now))
    except IntegrityError:  # another transaction added it meanwhile
        bump_public_version(session, name)


def _is_or_was_public(need: Need) -> bool:
    """A public need changed, or a need entered or left the public statuses."""
    statuses = (need.status, *inspect(need).attrs.status.history.deleted)
    return any(status in PUBLIC_STATUSES for status in statuses if status is not None)


def _changes_public_figures(session) -> bool:
    for obj in session.new:
        if isinstance(obj, ALWAYS) or (isinstance(obj, Need) and _is_or_was_public(obj)):
            return True
    for obj in session.dirty:
        if not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, ALWAYS) or (isinstance(obj, Need) and _is_or_was_public(obj)):
            return True
        if isinstance(obj, Organisation) and any(
                inspect(obj).attrs[name].history.has_changes() for name in ORGANISATION_PUBLIC):
            return True
    for obj in session.deleted:
        if isinstance(obj, (*ALWAYS, Organisation)) or (isinstance(obj, Need) and _is_or_was_public(obj)):
            return True
    return False


def _is_quiet(cls) -> bool:
    global _QUIET
    if not _QUIET:
        _QUIET = _quiet_classes()
    return issubclass(cls, _QUIET)


def _changes_lists(session) -> bool:
    if any(not _is_quiet(type(obj)) for obj in session.new) or any(
            not _is_quiet(type(obj)) for obj in session.deleted):
        return True
    return any(not _is_quiet(type(obj)) and session.is_modified(obj, include_collections=False)
               for obj in session.dirty)


def _before_flush(session, _context, _instances) -> None:
    # Before the flush: attribute histories still hold the old status of a need.
    if not session.info.get(_FLAG) and _changes_public_figures(session):
        mark_public_changed(session)
    if not session.info.get(_LISTS_FLAG) and _changes_lists(session):
        mark_lists_changed(session)


def _on_orm_execute(state) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    if mapper is None:
        return
    if issubclass(mapper.class_, BULK):
        mark_public_changed(state.session)
    elif not _is_quiet(mapper.class_):
        mark_lists_changed(state.session)


def _before_commit(session) -> None:
    session.flush()  # the commit's own flush comes after this event: its changes must count too
    public, lists = session.info.pop(_FLAG, False), session.info.pop(_LISTS_FLAG, False)
    if public:  # always first: writers take the two version rows in one order
        bump_public_version(session)
    if lists:
        bump_public_version(session, LISTS)
    if public or lists:
        session.info[_BUMPED] = True


def _after_commit(session) -> None:
    global _local_bumps
    # A SAVEPOINT's release fires this event too: only the outermost commit makes the bump visible.
    if not session.in_nested_transaction() and session.info.pop(_BUMPED, False):
        _local_bumps += 1


def _forget(session, *_args) -> None:
    session.info.pop(_FLAG, None)
    session.info.pop(_LISTS_FLAG, None)
    session.info.pop(_BUMPED, None)


def install_public_version_events() -> None:
    """Watch every session for writes that change public figures (idempotent)."""
    for name, handler in (("before_flush", _before_flush), ("do_orm_execute", _on_orm_execute),
                          ("before_commit", _before_commit), ("after_commit", _after_commit),
                          ("after_rollback", _forget)):
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)
