"""Who may manage accounts, organisations and kampung."""
from gandeng.accounts.models import Role


def is_staff(user) -> bool:
    """Staff or admin, signed in and active."""
    return bool(user and user.is_authenticated and user.role in (Role.STAFF, Role.ADMIN))


def can_manage_accounts(user) -> bool:
    """Staff and admin verify and suspend users and manage organisations and kampung."""
    return is_staff(user)


def can_change_roles(user) -> bool:
    """Only an admin changes roles (and so creates other staff or admins)."""
    return bool(user and user.is_authenticated and user.role == Role.ADMIN)
