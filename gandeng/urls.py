"""Safe URLs: ids in paths that the database can hold, and redirect targets that stay on this site."""
from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter

# Primary keys are INTEGER columns (32 bits on PostgreSQL): a larger id can name no row.
MAX_ID = 2**31 - 1


def _digits_at_most(limit: int) -> str:
    """A regular expression for the decimal numbers 0..`limit`, so the router itself never matches a
    larger one (a converter that only refused it later would turn some 404s into 405s)."""
    text = str(limit)
    alternatives = [rf"\d{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, digit in enumerate(text):
        low = 1 if i == 0 else 0
        if int(digit) > low:
            rest = len(text) - i - 1
            alternatives.append(text[:i] + f"[{low}-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    alternatives.append(text)
    return "(?:" + "|".join(alternatives) + ")"


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that refuses (404) numbers no row can have, instead of overflowing in the
    database driver (`/needs/99999999999999999999999` was a 500)."""

    regex = _digits_at_most(MAX_ID)

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max,
                         signed=signed)


def register_converters(app) -> None:
    """Every `<int:...>` of the app becomes bounded; call before the blueprints are registered."""
    app.url_map.converters["int"] = BoundedIntConverter


# What a browser drops from a URL before reading it (WHATWG URL standard): tab, LF and CR anywhere,
# C0 controls and spaces at both ends; a backslash counts as a slash in http(s) URLs.
_DROPPED_ANYWHERE = str.maketrans("", "", "\t\n\r")
_C0_AND_SPACE = "".join(chr(n) for n in range(0x21))


def safe_next(target: str | None, host: str | None = None) -> str | None:
    """`target` as a path on this site ("/needs/5?page=2"), or None when a browser would read it as
    another site (`//evil`, `/\\evil`, `/<tab>/evil`, `https:evil`, `javascript:`…). An absolute
    http(s) URL counts only when its host is `host` (this request's host), and is cut to its path.
    The answer is the normalised text, so what is checked is exactly what the browser gets."""
    if not target:
        return None
    text = target.translate(_DROPPED_ANYWHERE).strip(_C0_AND_SPACE).replace("\\", "/")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unbalanced "[" taken for an IPv6 host
        return None
    if parts.scheme or parts.netloc:
        if host is None or parts.scheme not in ("http", "https") or parts.netloc != host:
            return None
        text = parts.path + (f"?{parts.query}" if parts.query else "") + (
            f"#{parts.fragment}" if parts.fragment else "")
    if not text.startswith("/") or text.startswith("//"):
        return None
    return text
