"""The rules of what partners, coordinators and staff write about a collaboration, in one place: the
web forms, the API schema and the lifecycle operations read their limits here."""

MAX_TEXT = 5000  # a progress or completion report
MAX_REASON = 1000  # why a collaboration is declined or cancelled, why a proposal is rejected
MAX_PERCENT = 100
MAX_BENEFICIARIES = 1_000_000  # people reached, reported at completion
