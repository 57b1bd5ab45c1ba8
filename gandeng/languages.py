"""The interface language of this request: the one chosen with the switch, else Indonesian."""
from flask import has_request_context, session

LANGUAGES = ("id", "en")


def select_locale() -> str:
    """The language chosen with the switch, else Indonesian (the CLI has no session: Indonesian)."""
    chosen = session.get("lang") if has_request_context() else None
    return chosen if chosen in LANGUAGES else "id"
