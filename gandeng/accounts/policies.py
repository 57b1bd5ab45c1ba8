"""Who may manage accounts, organisations and kampung."""
from gandeng.accounts.models import Role, UserStatus


def signed_in(user) -> bool:
    """A signed-in, active user (not None, not the anonymous user): the base of every policy."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_staff(user) -> bool:
    """Staff or admin, signed in and active."""
    return signed_in(user) and user.role in (Role.STAFF, Role.ADMIN)


def can_manage_accounts(user) -> bool:
    """Staff and admin verify and suspend users and manage organisations and kampung."""
    return is_staff(user)


def can_change_roles(user) -> bool:
    """Only an admin changes roles (and so creates other staff or admins)."""
    return bool(user and user.is_authenticated and user.role == Role.ADMIN)


def can_manage_user(actor, user) -> bool:
    """Staff act on accounts; an admin's account only another admin may touch."""
    return can_manage_accounts(actor) and (user.role != Role.ADMIN or actor.role == Role.ADMIN)


def can_verify_user(actor, user) -> bool:
    """Whether to offer activating this pending or suspended account."""
    return can_manage_user(actor, user) and user.status != UserStatus.ACTIVE


def can_suspend_user(actor, user) -> bool:
    """Whether to offer blocking this account: not one's own, not one already blocked."""
    return can_manage_user(actor, user) and user.id != actor.id and user.status != UserStatus.SUSPENDED
