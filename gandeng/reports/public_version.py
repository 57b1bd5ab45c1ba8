"""When the public figures change: a version in the database, bumped in the same transaction as the
write, so a cached copy of /public, its open data, the map and /api/v1/stats is known stale at once
on every worker and every machine.

Writes are noticed by the session itself, whatever service makes them: an ORM flush that adds,
changes or deletes a public need (or a need leaving the public statuses), a collaboration, a
progress report or photo, an organisation's name or type, or the reference data; and ORM-enabled
bulk statements (`update(Need)…`, `insert(Need)…`) on those tables. Writes that bypass the ORM
(COPY) call `mark_public_changed(session)`. The bump itself happens just before the commit, so the
version row stays locked only for the instant of the commit and two writers cannot deadlock on it.
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
_FLAG = "public_figures_changed"
_BUMPED = "public_version_bumped"
# Bumps committed by this process: a copy of the stamp read before one of them is out of date.
_local_bumps = 0
# Any change to one of these rows may change a public figure.
ALWAYS = (Commitment, ProgressReport, ProgressPhoto, Category, Kelurahan, Kemantren)
# Bulk statements on these tables are taken as a change (they are rare and hard to see through).
BULK = (*ALWAYS, Need, Organisation)
ORGANISATION_PUBLIC = ("name", "type")


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


def current_stamp(session) -> Stamp:
    """The version the figures are at now (one primary-key read)."""
    row = session.execute(
        select(PublicVersion.version, PublicVersion.changed_at).where(PublicVersion.name == NAME)).first()
    return Stamp(int(row[0]), row[1]) if row else Stamp(0, None)


def local_bumps() -> int:
    """How many bumps this process has committed (public_cache.recent_stamp drops its copy on a change)."""
    return _local_bumps


def mark_public_changed(session) -> None:
    """Say that this transaction changes public figures: the version is bumped when it commits."""
    session.info[_FLAG] = True


def bump_public_version(session) -> None:
    """Add one to the version now, inside the session's transaction (the commit makes it visible)."""
    now = utcnow()
    done = session.execute(
        update(PublicVersion).where(PublicVersion.name == NAME)
        .values(version=PublicVersion.version + 1, changed_at=now)
        .execution_options(synchronize_session=False))
    if done.rowcount:
        return
    try:  # the first change of a database built without the migration's row
        with session.begin_nested():
            session.add(PublicVersion(name=NAME, version=1, changed_at=now))
    except IntegrityError:  # another transaction added it meanwhile
        bump_public_version(session)


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


def _before_flush(session, _context, _instances) -> None:
    # Before the flush: attribute histories still hold the old status of a need.
    if not session.info.get(_FLAG) and _changes_public_figures(session):
        mark_public_changed(session)


def _on_orm_execute(state) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, BULK):
        mark_public_changed(state.session)


def _before_commit(session) -> None:
    session.flush()  # the commit's own flush comes after this event: its changes must count too
    if session.info.pop(_FLAG, False):
        bump_public_version(session)
        session.info[_BUMPED] = True


def _after_commit(session) -> None:
    global _local_bumps
    # A SAVEPOINT's release fires this event too: only the outermost commit makes the bump visible.
    if not session.in_nested_transaction() and session.info.pop(_BUMPED, False):
        _local_bumps += 1


def _forget(session, *_args) -> None:
    session.info.pop(_FLAG, None)
    session.info.pop(_BUMPED, None)


def install_public_version_events() -> None:
    """Watch every session for writes that change public figures (idempotent)."""
    for name, handler in (("before_flush", _before_flush), ("do_orm_execute", _on_orm_execute),
                          ("before_commit", _before_commit), ("after_commit", _after_commit),
                          ("after_rollback", _forget)):
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)
