"""Helpers for API tests: tokens and headers."""
from gandeng.api.auth import issue_token


def token_for(session, user, days=30) -> str:
    """A fresh bearer token of `user` (issued through the service, committed)."""
    plain, _ = issue_token(session, user, days)
    session.commit()
    return plain


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def as_user(session, user) -> dict:
    """Authorization headers for `user` (None: anonymous, no header)."""
    return {} if user is None else bearer(token_for(session, user))


NEW_NEED = {
    "category": "sanitation",
    "title": "Jamban sehat untuk 5 KK",
    "description": "Lima keluarga di RT 03 masih memakai kakus tanpa septictank.",
    "rw": "05",
    "households": 5,
    "kms_households": 3,
    "cost_rp": 15_000_000,
    "urgency": "tinggi",
}
