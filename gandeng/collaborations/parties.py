"""Who a collaboration concerns, and telling them (in-app notification, e-mail for what needs action).
Messages are lazy strings (each user reads them in their own language); they name the need's
public title, the organisation and amounts, never households' data."""
from gandeng.notifications.services import coordinators_of, members_of, notify


def link(commitment) -> str:
    """The collaboration's page (a path: services do not build URLs from the request)."""
    return f"/collaborations/{commitment.id}"


def tell(session, users, actor, kind: str, commitment, message: str, email_subject: str | None = None) -> int:
    """Notify `users` about `commitment`, except the actor who did it."""
    others = [u for u in users if u is not None and getattr(u, "id", None) != getattr(actor, "id", None)]
    return notify(session, others, kind, message, link(commitment), email_subject=email_subject)


def tell_partner(session, actor, kind, commitment, message, email_subject=None) -> int:
    return tell(session, members_of(session, commitment.offer.organisation_id), actor, kind,
                commitment, message, email_subject)


def tell_coordinators(session, actor, kind, commitment, message, email_subject=None) -> int:
    return tell(session, coordinators_of(session, commitment.need.kampung_id), actor, kind,
                commitment, message, email_subject)


def tell_approver(session, actor, kind, commitment, message, email_subject=None) -> int:
    """The staff member who approved the collaboration (they follow it up)."""
    return tell(session, [commitment.created_by], actor, kind, commitment, message, email_subject)
