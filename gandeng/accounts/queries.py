"""Read-only queries behind the staff pages for users, organisations and kampung."""
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from gandeng.accounts.models import Kampung, Organisation, OrgType, Role, User, UserStatus
from gandeng.reference.models import Kelurahan


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def users_query(status: str = "", role: str = "", text: str = ""):
    """Users filtered by status, role and a piece of name or e-mail; pending ones first, newest first."""
    query = select(User).options(
        selectinload(User.kampung).selectinload(Kampung.kelurahan), selectinload(User.organisation)
    )
    if status in set(UserStatus):
        query = query.where(User.status == status)
    if role in set(Role):
        query = query.where(User.role == role)
    if text.strip():
        pattern = _like(text.strip())
        query = query.where(or_(
            func.lower(User.name).like(pattern, escape="\\"), func.lower(User.email).like(pattern, escape="\\")
        ))
    pending_first = case((User.status == UserStatus.PENDING, 0), else_=1)
    return query.order_by(pending_first, User.created_at.desc(), User.id.desc())


def organisations_query(verified: str = "", org_type: str = "", text: str = ""):
    """Organisations filtered by verified state ('ya'/'tidak'), type and name; unverified first."""
    query = select(Organisation)
    if verified == "ya":
        query = query.where(Organisation.verified_at.is_not(None))
    elif verified == "tidak":
        query = query.where(Organisation.verified_at.is_(None))
    if org_type in set(OrgType):
        query = query.where(Organisation.type == org_type)
    if text.strip():
        query = query.where(func.lower(Organisation.name).like(_like(text.strip()), escape="\\"))
    unverified_first = case((Organisation.verified_at.is_(None), 0), else_=1)
    return query.order_by(unverified_first, Organisation.name)


def kampung_query(kemantren: str = "", kelurahan: str = "", verified: str = ""):
    """Kampung filtered by kemantren and kelurahan codes and verified state; unverified first."""
    query = (
        select(Kampung)
        .join(Kampung.kelurahan)
        .options(selectinload(Kampung.kelurahan).selectinload(Kelurahan.kemantren))
    )
    if kemantren:
        query = query.where(Kelurahan.kemantren_code == kemantren)
    if kelurahan:
        query = query.where(Kampung.kelurahan_code == kelurahan)
    if verified == "ya":
        query = query.where(Kampung.verified_at.is_not(None))
    elif verified == "tidak":
        query = query.where(Kampung.verified_at.is_(None))
    unverified_first = case((Kampung.verified_at.is_(None), 0), else_=1)
    return query.order_by(unverified_first, Kelurahan.name, Kampung.name)


def _count_by(session, column, ids) -> dict[int, int]:
    ids = list(ids)
    if not ids:
        return {}
    rows = session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column))
    found = dict(rows.all())
    return {i: found.get(i, 0) for i in ids}


def member_counts(session, organisation_ids) -> dict[int, int]:
    """Number of users per organisation id."""
    return _count_by(session, User.organisation_id, organisation_ids)


def offer_counts(session, organisation_ids) -> dict[int, int]:
    """Number of offers (any status) per organisation id."""
    from gandeng.offers.models import Offer

    return _count_by(session, Offer.organisation_id, organisation_ids)


def coordinator_counts(session, kampung_ids) -> dict[int, int]:
    """Number of coordinators per kampung id."""
    return _count_by(session, User.kampung_id, kampung_ids)


def need_counts(session, kampung_ids) -> dict[int, int]:
    """Number of needs (any status) per kampung id."""
    from gandeng.needs.models import Need

    return _count_by(session, Need.kampung_id, kampung_ids)


def members(session, organisation) -> list[User]:
    """The users of an organisation, by name."""
    return list(session.scalars(select(User).where(User.organisation_id == organisation.id).order_by(User.name)))


def coordinators(session, kampung) -> list[User]:
    """The coordinators of a kampung, by name."""
    return list(session.scalars(select(User).where(User.kampung_id == kampung.id).order_by(User.name)))


def offers_by_status(session, organisation) -> dict[str, int]:
    """How many offers the organisation has in each status."""
    from gandeng.offers.models import Offer

    rows = session.execute(
        select(Offer.status, func.count()).where(Offer.organisation_id == organisation.id).group_by(Offer.status)
    )
    return dict(rows.all())


def all_kampung(session) -> list[Kampung]:
    """Every kampung, by kelurahan and name (for pickers)."""
    return list(session.scalars(
        select(Kampung).join(Kampung.kelurahan).options(selectinload(Kampung.kelurahan))
        .order_by(Kelurahan.name, Kampung.name)
    ))


def all_organisations(session) -> list[Organisation]:
    """Every organisation by name (for pickers)."""
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))
