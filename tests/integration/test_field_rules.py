"""One set of field rules per domain (issue 16 point 11): the web form, the API and the spreadsheet
import refuse the same bad need or offer, by the limit written once in needs/rules.py or offers/rules.py,
and accept the same value at the limit."""
import pytest
from sqlalchemy import func, select

from gandeng.collaborations import rules as collaboration_rules
from gandeng.collaborations.lifecycle import report_progress
from gandeng.collaborations.models import ProgressReport
from gandeng.errors import DomainError
from gandeng.needs import rules as need_rules
from gandeng.needs.models import Need, NeedStatus
from gandeng.needs.services import create_need, update_need
from gandeng.offers import rules as offer_rules
from gandeng.offers.models import Offer
from gandeng.offers.services import create_offer
from tests import factories as f
from tests.api.helpers import NEW_NEED, bearer, token_for
from tests.conftest import login
from tests.integration.import_files import NEED_HEADER, OFFER_HEADER, need_row, offer_row, write_csv

TOO_LONG_TITLE = "J" * (need_rules.LENGTHS["title"] + 1)
# Each case: (field as the form and the file name it, as the API names it, typed on the web / in the
# file, as a JSON value). The web's cost ceiling was Rp100 miliar and the API's Rp1 triliun.
NEED_CASES = {
    "title too long": ("title", "title", TOO_LONG_TITLE, TOO_LONG_TITLE),
    "too many households": ("households", "households", str(need_rules.HOUSEHOLDS_MAX + 1),
                            need_rules.HOUSEHOLDS_MAX + 1),
    "cost above the ceiling": ("cost_rp", "cost_rp", str(need_rules.MAX_COST_RP + 1), need_rules.MAX_COST_RP + 1),
    "rw too long": ("rw", "rw", "1" * (need_rules.LENGTHS["rw"] + 1), "1" * (need_rules.LENGTHS["rw"] + 1)),
}
WEB_NEED = {"category": "sanitation", "title": "Septic tank komunal", "description": "Untuk 8 KK di RT 02.",
            "cost_rp": "12.000.000", "urgency": "sedang", "households": "8", "kms_households": "3",
            "save_draft": "Simpan draf"}


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def _need_paths(client, runner, session, tmp_path, form_field, api_field, typed, json_value):
    """What each of the three ways in answers for one value: (web page, API JSON, import stderr)."""
    coordinator = f.make_coordinator(session)
    session.commit()
    token = token_for(session, coordinator)
    api = client.post("/api/v1/needs", headers=bearer(token), json={**NEW_NEED, api_field: json_value})
    login(client, coordinator)
    web = client.post("/needs/new", data={**WEB_NEED, form_field: typed})
    path = write_csv(tmp_path / "needs.csv", NEED_HEADER, [need_row(ref="N-RULE", **{form_field: typed})])
    imported = runner.invoke(args=["import", "needs", str(path)])
    return web, api, imported


@pytest.mark.parametrize("case", NEED_CASES)
def test_web_api_and_import_refuse_the_same_bad_need(client, runner, session, tmp_path, case):
    form_field, api_field, typed, json_value = NEED_CASES[case]
    web, api, imported = _need_paths(client, runner, session, tmp_path, form_field, api_field, typed, json_value)
    assert web.status_code == 200 and f'id="{form_field}-error"' in web.text, web.text
    assert api.status_code == 422 and api_field in api.get_json()["error"]["fields"], api.text
    assert imported.exit_code != 0 and f"row 2: {form_field}:" in imported.stderr, imported.output
    assert _count(session, Need) == 0


def test_a_need_at_every_limit_passes_all_three_ways(client, runner, session, tmp_path):
    longest_title = "J" * need_rules.LENGTHS["title"]
    coordinator = f.make_coordinator(session)
    session.commit()
    at_limit = {"title": longest_title, "households": need_rules.HOUSEHOLDS_MAX,
                "kms_households": 0, "cost_rp": need_rules.MAX_COST_RP}
    api = client.post("/api/v1/needs", headers=bearer(token_for(session, coordinator)),
                      json={**NEW_NEED, **at_limit})
    assert api.status_code == 201, api.text
    login(client, coordinator)
    web = client.post("/needs/new", data={**WEB_NEED, **{k: str(v) for k, v in at_limit.items()}})
    assert web.status_code == 302, web.text
    path = write_csv(tmp_path / "needs.csv", NEED_HEADER, [need_row(ref="N-LIMIT", **at_limit)])
    imported = runner.invoke(args=["import", "needs", str(path)])
    assert imported.exit_code == 0, imported.output
    costs = set(session.scalars(select(Need.cost_rp)))
    assert costs == {need_rules.MAX_COST_RP}
    assert _count(session, Need) == 3


def test_offer_capacity_above_the_ceiling_is_refused_all_three_ways(client, runner, session, tmp_path):
    too_much = offer_rules.MAX_CAPACITY_RP + 1
    partner = f.make_partner(session)
    session.commit()
    api = client.post("/api/v1/offers", headers=bearer(token_for(session, partner)),
                      json={"kind": "dana", "title": "CSR", "description": "Dana.", "capacity_rp": too_much})
    assert api.status_code == 422 and "capacity_rp" in api.get_json()["error"]["fields"], api.text
    login(client, partner)
    web = client.post("/offers/new", data={"kind": "dana", "title": "CSR", "description": "Dana.",
                                           "capacity_rp": str(too_much), "save_draft": "Simpan sebagai draf"})
    assert web.status_code == 200 and "Nilai penawaran terlalu besar." in web.text
    path = write_csv(tmp_path / "offers.csv", OFFER_HEADER, [offer_row(capacity_rp=str(too_much))])
    imported = runner.invoke(args=["import", "offers", str(path)])
    assert imported.exit_code != 0 and "row 2: capacity_rp: Nilai penawaran terlalu besar." in imported.stderr
    assert _count(session, Offer) == 0


def test_an_offer_ref_too_long_is_refused_not_cut_short(client, runner, session, tmp_path):
    """The service cut a long offer ref to 64 characters (two such refs then collided in the import)."""
    long_ref = "O-" + "9" * offer_rules.LENGTHS["ref"]
    with pytest.raises(DomainError) as refused:
        create_offer(session, None, f.make_organisation(session), f.offer_data(ref=long_ref))
    assert refused.value.field == "ref"
    partner = f.make_partner(session)
    session.commit()
    api = client.post("/api/v1/offers", headers=bearer(token_for(session, partner)),
                      json={"kind": "dana", "title": "CSR", "description": "Dana.", "capacity_rp": 1, "ref": long_ref})
    assert api.status_code == 422 and "ref" in api.get_json()["error"]["fields"]
    path = write_csv(tmp_path / "offers.csv", OFFER_HEADER, [offer_row(ref=long_ref)])
    imported = runner.invoke(args=["import", "offers", str(path)])
    assert imported.exit_code != 0 and "row 2: ref: Maksimal 64 karakter." in imported.stderr
    assert _count(session, Offer) == 0


def test_the_need_service_refuses_a_ref_another_need_uses(session):
    """Ref uniqueness is the service's rule (it lived in the API view and the importer only)."""
    kampung, staff = f.make_kampung(session), f.make_staff(session)
    first = create_need(session, None, kampung, f.need_data(ref="N-7"), status=NeedStatus.VERIFIED)
    with pytest.raises(DomainError) as refused:
        create_need(session, None, kampung, f.need_data(ref=" N-7 "))
    assert refused.value.field == "ref"
    second = create_need(session, None, kampung, f.need_data(ref="N-8"), status=NeedStatus.VERIFIED)
    with pytest.raises(DomainError) as refused:
        update_need(session, staff, second, {"ref": "N-7"})
    assert refused.value.field == "ref"
    assert update_need(session, staff, first, {"ref": "N-7", "title": "Jamban baru"}) == ["title"]


def test_the_offer_service_refuses_a_ref_another_offer_uses(session):
    organisation = f.make_organisation(session)
    create_offer(session, None, organisation, f.offer_data(ref="O-7"))
    with pytest.raises(DomainError) as refused:
        create_offer(session, None, organisation, f.offer_data(ref="O-7"))
    assert refused.value.field == "ref"


def test_api_and_import_refuse_a_ref_in_use_with_the_field_named(client, runner, session, tmp_path):
    f.make_need(session, ref="N-1")
    coordinator = f.make_coordinator(session)
    session.commit()
    api = client.post("/api/v1/needs", headers=bearer(token_for(session, coordinator)), json={**NEW_NEED, "ref": "N-1"})
    assert api.status_code == 422
    assert api.get_json()["error"]["fields"] == {"ref": ["Ref ini sudah dipakai."]}
    path = write_csv(tmp_path / "needs.csv", NEED_HEADER, [need_row(ref="N-1")])
    imported = runner.invoke(args=["import", "needs", str(path)])
    assert imported.exit_code != 0 and "row 2: ref: N-1 sudah ada di basis data" in imported.stderr
    assert _count(session, Need) == 1


def test_a_progress_report_too_long_is_refused_by_the_web_the_api_and_the_service(client, session):
    collaboration = f.make_collaboration(session, status="in_progress")
    partner = f.make_partner(session, organisation=collaboration.offer.organisation)
    session.commit()
    too_long = "x" * (collaboration_rules.MAX_TEXT + 1)
    with pytest.raises(DomainError) as refused:
        report_progress(session, partner, collaboration, 50, too_long)
    assert refused.value.field == "text"
    session.rollback()
    api = client.post(f"/api/v1/collaborations/{collaboration.id}/progress", json={"percent": 50, "text": too_long},
                      headers=bearer(token_for(session, partner)))
    assert api.status_code == 422 and "text" in api.get_json()["error"]["fields"]
    login(client, partner)
    web = client.post(f"/collaborations/{collaboration.id}/progress", data={"percent": "50", "text": too_long})
    assert web.status_code in (200, 422) and 'id="text-error"' in web.text
    assert session.scalar(select(func.count()).select_from(ProgressReport)) == 0
