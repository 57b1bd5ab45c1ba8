"""The rules of a need's fields, in one place: the web form, the API schema, the service and the
spreadsheet import all read their limits here, so the three ways in refuse the same input."""
from gandeng.field_rules import REF_MAX

# Longest text per field, in characters (the columns of `needs` are as long or longer).
LENGTHS = {"title": 160, "description": 5000, "rw": 8, "beneficiaries": 5000, "contact_phone": 32, "ref": REF_MAX}
REASON_MAX = 1000  # a staff reason for returning or rejecting, a coordinator's for withdrawing

HOUSEHOLDS_MAX = 100_000  # households and KMS households; more is a typo for one kampung need
# A need goes to staff with at least one household ("0 KK" with five names listed once reached the
# city) and a deadline not yet past. A draft may leave both for later (web form, API and import alike):
# it holds what the need is (category, title, description, cost); submitting checks the rest.
HOUSEHOLDS_TO_SUBMIT = 1

COST_MIN_RP = 1
MAX_COST_RP = 100_000_000_000  # Rp100 miliar: far above any kampung need; catches typos
