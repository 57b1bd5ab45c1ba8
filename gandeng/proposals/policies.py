"""Who may run the matcher, review its proposals and see suggestions while writing a need."""
from gandeng.accounts.models import Role


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def can_run_matching(user) -> bool:
    """City staff (and admins) start matching runs and see their results."""
    return _signed_in(user) and user.role in (Role.STAFF, Role.ADMIN)


def can_review_proposals(user) -> bool:
    """City staff (and admins) approve and reject proposals."""
    return _signed_in(user) and user.role in (Role.STAFF, Role.ADMIN)


def can_see_suggestions(user) -> bool:
    """Those who write needs (coordinators) and staff see the offers that would fit while writing."""
    return _signed_in(user) and user.role in (Role.COORDINATOR, Role.STAFF, Role.ADMIN)
