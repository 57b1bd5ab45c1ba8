"""Imports every model module so that the metadata (Alembic, create_all) knows all tables."""
from gandeng.accounts import models as accounts  # noqa: F401
from gandeng.audit import models as audit  # noqa: F401
from gandeng.collaborations import models as collaborations  # noqa: F401
from gandeng.needs import models as needs  # noqa: F401
from gandeng.notifications import models as notifications  # noqa: F401
from gandeng.offers import models as offers  # noqa: F401
from gandeng.proposals import models as proposals  # noqa: F401
from gandeng.reference import models as reference  # noqa: F401
from gandeng.api import models as api  # noqa: F401
from gandeng.recovery import models as recovery  # noqa: F401  (issue 14: password reset links)
from gandeng.sister import models as sister  # noqa: F401  (issue 17: sister pairing)
