"""Who may run the matcher, review its proposals and see suggestions while writing a need."""
from gandeng.accounts.models import Role
from gandeng.accounts.policies import signed_in


def can_run_matching(user) -> bool:
    """City staff (and admins) start matching runs and see their results."""
    return signed_in(user) and user.role in (Role.STAFF, Role.ADMIN)


def can_review_proposals(user) -> bool:
    """City staff (and admins) approve and reject proposals."""
    return signed_in(user) and user.role in (Role.STAFF, Role.ADMIN)


def can_see_suggestions(user) -> bool:
    """Those who write needs (coordinators) and staff see the offers that would fit while writing."""
    return signed_in(user) and user.role in (Role.COORDINATOR, Role.STAFF, Role.ADMIN)
