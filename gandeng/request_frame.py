"""The signed-in user, read in one round trip with what each of their pages needs around it.

Every page a signed-in user asks shows the unread notifications in the menu, and the lists of
needs and offers check the `lists` version before reusing a rendered copy (gandeng/list_cache.py).
Read apart, the user, the count and the version were three statements, each a round trip to the
database. `load_user` reads the three in one statement and keeps the count and the version for the
rest of the request; `unread_count` and `lists_stamp` hand them out, or read them afresh when the
request has written something since (a flush: a notification of one's own, a change to a list),
so a page never shows less than the database holds.
"""
from flask import has_request_context, request
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, scoped_session

_KEY = "gandeng.request_frame"
_STAMP_KEY = "gandeng.lists_stamp"
_WRITES = "gandeng_writes"


def _note_write(session, *_args) -> None:
    session.info[_WRITES] = session.info.get(_WRITES, 0) + 1


def _note_statement(state) -> None:
    if not state.is_select:  # bulk UPDATE/DELETE/INSERT, or a textual statement: may be a write
        _note_write(state.session)


def install_write_counter() -> None:
    """Count what every session writes (flushes, commits, statements other than ORM selects):
    what was read before may be out of date. Idempotent."""
    for name, handler in (("after_flush", _note_write), ("after_commit", _note_write),
                          ("do_orm_execute", _note_statement)):
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)


def _writes(session) -> tuple:
    real = session() if isinstance(session, scoped_session) else session
    return id(real), real.info.get(_WRITES, 0)


def load_user(session, user_id: int):
    """The user with this id (None when there is none), with their unread count and the lists'
    version kept for this request: one statement."""
    from gandeng.accounts.models import User
    from gandeng.notifications.models import Notification
    from gandeng.reports.models import PublicVersion
    from gandeng.reports.public_version import LISTS, Stamp

    unread = (select(func.count(Notification.id))
              .where(Notification.user_id == User.id, Notification.read_at.is_(None))
              .correlate(User).scalar_subquery())
    version = select(PublicVersion.version).where(PublicVersion.name == LISTS).scalar_subquery()
    changed = select(PublicVersion.changed_at).where(PublicVersion.name == LISTS).scalar_subquery()
    row = session.execute(select(User, unread, version, changed).where(User.id == user_id)).first()
    if row is None:
        return None
    user, count, number, changed_at = row
    if has_request_context():
        stamp = Stamp(int(number), changed_at) if number is not None else Stamp(0, None)
        request.environ[_KEY] = (_writes(session), user.id, int(count or 0), stamp)
    return user


def _kept(session):
    held = request.environ.get(_KEY) if has_request_context() else None
    if held is None or held[0] != _writes(session):
        return None
    return held


def unread_count(session, user) -> int:
    """The user's unread notifications: as read with the user when nothing was written since."""
    held = _kept(session)
    if held is not None and held[1] == user.id:
        return held[2]
    from gandeng.notifications import services

    return services.unread_count(session, user)


def lists_stamp(session):
    """The lists' version: as read with the signed-in user, or earlier in this request, when
    nothing was written since."""
    held = _kept(session)
    if held is not None:
        return held[3]
    from gandeng.reports.public_version import LISTS, current_stamp

    read = request.environ.get(_STAMP_KEY) if has_request_context() else None
    if read is not None and read[0] == _writes(session):
        return read[1]
    stamp = current_stamp(session, LISTS)
    if has_request_context():
        request.environ[_STAMP_KEY] = (_writes(session), stamp)
    return stamp
