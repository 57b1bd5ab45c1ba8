"""Expected statuses for the join-request page: members of the organisation and staff decide."""
from tests.web.routes import Route, expect

DECIDERS = expect(404, anon=302, partner=302, staff=302, admin=302)


def extend_world(session, world):
    """A newcomer asking to join the partner's organisation (id `join_request`)."""
    from gandeng.accounts.join_requests import request_to_join
    from gandeng.accounts.models import Role, UserStatus
    from tests import factories as f

    newcomer = f.make_user(session, role=Role.PARTNER, status=UserStatus.PENDING, email="ingin@contoh.id")
    newcomer.organisation = None
    world["ids"]["join_request"] = request_to_join(session, newcomer, organisation=world["org"]).id


ROUTES = [
    Route("GET", "/join-requests", "/join-requests", expect(200, anon=302)),
    Route("POST", "/join-requests/<int:request_id>/approve", "/join-requests/{join_request}/approve", DECIDERS),
    Route("POST", "/join-requests/<int:request_id>/refuse", "/join-requests/{join_request}/refuse", DECIDERS),
]
