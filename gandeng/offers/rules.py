"""The rules of an offer's fields, in one place: the web form, the API schema, the service and the
spreadsheet import all read their limits here, so the three ways in refuse the same input."""
from gandeng.field_rules import REF_MAX

LENGTHS = {"title": 160, "description": 5000, "ref": REF_MAX}
REASON_MAX = 1000  # why the offer is withdrawn (optional)
AREA_NAME_MAX = 80  # a kemantren or kelurahan named by code or by name
MAX_AREAS = 100
MAX_CATEGORIES = 50

CAPACITY_MIN_RP = 1
MAX_CAPACITY_RP = 1_000_000_000_000  # Rp1 triliun
