"""Audit finding 4: suspension and role change revoke every API token of the account, so a token
issued before a suspension does not work again after re-activation."""
from sqlalchemy import select

from gandeng.accounts.models import Role
from gandeng.accounts.services import end_access
from gandeng.api.auth import revoke_all_tokens
from gandeng.api.models import ApiToken
from tests import factories as f
from tests.api.helpers import bearer, token_for
from tests.conftest import login


def _works(client, token) -> bool:
    return client.get("/api/v1/proposals", headers=bearer(token)).status_code == 200


def test_token_issued_before_suspension_stays_dead_after_reactivation(app, session):
    staff, partner = f.make_staff(session), f.make_partner(session)
    session.commit()
    tokens = [token_for(session, partner), token_for(session, partner)]
    api, web = app.test_client(), app.test_client()
    assert all(_works(api, token) for token in tokens)
    login(web, staff)
    assert web.post(f"/admin/users/{partner.id}/suspend", data={"reason": "Akun dipakai orang lain."}).status_code == 302
    assert web.post(f"/admin/users/{partner.id}/verify").status_code == 302
    session.expire_all()
    assert partner.is_active
    assert not any(_works(api, token) for token in tokens)
    fresh = token_for(session, partner)  # a token asked for after re-activation works
    assert _works(api, fresh)


def test_role_change_revokes_every_token(app, session):
    admin, coordinator = f.make_admin(session), f.make_coordinator(session)
    organisation = f.make_organisation(session)
    session.commit()
    token = token_for(session, coordinator)
    api, web = app.test_client(), app.test_client()
    assert api.get("/api/v1/needs", headers=bearer(token)).status_code == 200
    login(web, admin)
    response = web.post(f"/admin/users/{coordinator.id}/role",
                        data={"role": Role.PARTNER, "organisation": str(organisation.id)})
    assert response.status_code == 302
    session.expire_all()
    assert coordinator.role == Role.PARTNER
    assert api.get("/api/v1/needs", headers=bearer(token)).status_code == 401


def test_end_access_ends_sessions_and_tokens_of_that_user_only(session):
    partner, other = f.make_partner(session), f.make_partner(session)
    session.commit()
    token_for(session, partner), token_for(session, other)
    version = partner.session_version
    end_access(session, partner)
    session.commit()
    assert partner.session_version == version + 1
    revoked = session.scalars(select(ApiToken.user_id).where(ApiToken.revoked_at.is_not(None))).all()
    assert revoked == [partner.id]
    assert revoke_all_tokens(session, partner) == 0  # nothing left to revoke
