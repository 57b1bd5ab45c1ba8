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
from gandeng.accounts import join_requests  # noqa: F401
from gandeng.reports import models as reports  # noqa: F401
from gandeng import search  # noqa: F401,E402  (its listeners build the text index with create_all)
from gandeng.sister import models as sister  # noqa: F401  (issue 17: sister pairing)
from gandeng.privacy import models as privacy  # noqa: F401,E402  (issue 19: UU PDP)
from gandeng.nglarisi import models as nglarisi  # noqa: F401  (issue 18: Nglarisi)
