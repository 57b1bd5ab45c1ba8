"""The route × role permission table: shared pieces. Each module's table lives in route_table_*.py."""
from dataclasses import dataclass, field

# office and group: the Nglarisi roles (issue 18), a city office ordering food and a kelompok cooking it.
ROLES = ("anon", "coordinator", "other_coordinator", "partner", "other_partner", "staff", "admin", "office", "group")


def expect(default: int, **by_role: int) -> dict:
    """Expected status per role: `default` for every role not named."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: by_role.get(role, default) for role in ROLES}


@dataclass(frozen=True)
class Route:
    """One route: its Flask rule, a concrete path with {placeholders} filled from the world,
    the expected status per role, and the form data a POST sends."""

    method: str
    rule: str
    path: str
    expected: dict
    data: dict = field(default_factory=dict)
    note: str = ""
