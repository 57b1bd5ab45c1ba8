"""Sister pairing (issue 17) in the API: a year's pairs (published: everyone; a draft: staff only), one pair
with its plan and reports (those only for staff and the pair's parties), writing the plan (parties),
deciding on it (staff), listing and sending quarterly reports (parties). Same services as /sister/pairs/<id>;
see docs/sister.md."""
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from gandeng.accounts.policies import is_staff
from gandeng.api.auth import actor, require_login
from gandeng.api.common import blueprint, documented, listing, load, page_of
from gandeng.api.errors import forbidden
from gandeng.api.schemas import PageArgsSchema, StrictBoolean, StrictSchema, choice, list_schema, text, whole
from gandeng.api.serializers import utc
from gandeng.db import db
from gandeng.paging import Key, Keyset
from gandeng.sister import work
from gandeng.sister.models import (
    PlanStatus, RoundStatus, SisterPair, SisterPlan, SisterReport, SisterRound, split_themes,
)

bp = blueprint("sister", "/sister", "Sister pairing: one campus and one company per kampung each year; year "
                                    "plans and quarterly reports of the published pairs.")

PAIR_ORDER = Keyset(Key(SisterPair.id, int, descending=False))
REPORT_ORDER = Keyset(Key(SisterReport.id, int, descending=False))
MAX_FIGURE = work.MAX_FIGURE


class SisterPlanSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(list(PlanStatus)))
    q1 = fields.String(required=True)
    q2 = fields.String(required=True)
    q3 = fields.String(required=True)
    q4 = fields.String(required=True)
    themes = fields.List(fields.String(), required=True)
    target_households = fields.Integer(required=True)
    target_participants = fields.Integer(required=True)
    target_students = fields.Integer(required=True)
    target_employees = fields.Integer(required=True)
    return_note = fields.String(required=True)
    submitted_at = fields.DateTime(required=True, allow_none=True)
    approved_at = fields.DateTime(required=True, allow_none=True)


class SisterReportSchema(Schema):
    id = fields.Integer(required=True)
    pair_id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    quarter = fields.Integer(required=True)
    text = fields.String(required=True)
    households_reached = fields.Integer(required=True)
    participants = fields.Integer(required=True)
    students = fields.Integer(required=True)
    employees = fields.Integer(required=True)
    on_time = fields.Boolean(required=True)
    photos = fields.Integer(required=True, metadata={"description": "how many photos (shown on the web page)"})
    created_at = fields.DateTime(required=True)


class SisterPairSchema(Schema):
    id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"description": "the year's pairing: draft or published"})
    kampung = fields.String(required=True)
    kelurahan = fields.String(required=True)
    kemantren = fields.String(required=True)
    campus = fields.String(required=True, allow_none=True)
    company = fields.String(required=True, allow_none=True)
    campus_km = fields.Float(required=True, allow_none=True)
    company_km = fields.Float(required=True, allow_none=True)
    shared_themes = fields.List(fields.String(), required=True)
    continued = fields.Boolean(required=True, metadata={"description": "a partner is the same as last year's"})
    unpaired_reason = fields.List(fields.String(), required=True,
                                  metadata={"description": "codes such as `korporat:short_capacity`"})
    plan = fields.Nested(SisterPlanSchema, allow_none=True,
                         metadata={"description": "single pair, staff and the pair's parties only"})
    reports = fields.List(fields.Nested(SisterReportSchema),
                          metadata={"description": "single pair, staff and the pair's parties only"})


SisterPairListSchema = list_schema(SisterPairSchema, "SisterPairList")
SisterReportListSchema = list_schema(SisterReportSchema, "SisterReportList")


class SisterPairListArgsSchema(PageArgsSchema):
    year = fields.Integer(required=True, validate=validate.Range(min=2020, max=2100))


class SisterReportListArgsSchema(PageArgsSchema):
    year = fields.Integer(validate=validate.Range(min=2020, max=2100))


def _figure(**kwargs):
    return whole(0, MAX_FIGURE, **kwargs)


class SisterPlanWriteSchema(StrictSchema):
    q1 = text(work.MAX_TEXT)
    q2 = text(work.MAX_TEXT)
    q3 = text(work.MAX_TEXT)
    q4 = text(work.MAX_TEXT)
    themes = fields.List(text(40))
    target_households = _figure()
    target_participants = _figure()
    target_students = _figure()
    target_employees = _figure()
    submit = StrictBoolean(metadata={"description": "true: the parties agree and send it to staff"})


class SisterPlanDecisionSchema(StrictSchema):
    decision = choice(("approve", "return"), required=True)
    note = text(500, metadata={"description": "required when returning"})


class SisterReportCreateSchema(StrictSchema):
    quarter = whole(1, 4, required=True)
    text = text(work.MAX_TEXT, required=True)
    households_reached = _figure()
    participants = _figure()
    students = _figure()
    employees = _figure()


def plan_to_dict(plan: SisterPlan | None) -> dict | None:
    if plan is None:
        return None
    return {"status": plan.status, "q1": plan.q1, "q2": plan.q2, "q3": plan.q3, "q4": plan.q4,
            "themes": plan.theme_codes, **{name: getattr(plan, name) for name in work.PLAN_TARGETS},
            "return_note": plan.return_note, "submitted_at": utc(plan.submitted_at),
            "approved_at": utc(plan.approved_at)}


def report_to_dict(report: SisterReport) -> dict:
    return {"id": report.id, "pair_id": report.pair_id, "year": report.pair.round.year, "quarter": report.quarter,
            "text": report.text, **{name: getattr(report, name) for name in work.REPORT_FIGURES},
            "on_time": report.on_time, "photos": len(report.photos), "created_at": utc(report.created_at)}


def pair_to_dict(pair: SisterPair, with_work: bool = False) -> dict:
    kelurahan = pair.kampung.kelurahan
    out = {"id": pair.id, "year": pair.round.year, "status": pair.round.status, "kampung": pair.kampung.name,
           "kelurahan": kelurahan.name, "kemantren": kelurahan.kemantren.name,
           "campus": pair.campus.name if pair.campus else None,
           "company": pair.company.name if pair.company else None,
           "campus_km": pair.campus_km, "company_km": pair.company_km,
           "shared_themes": split_themes(pair.shared_themes),
           "continued": bool(pair.continued_campus or pair.continued_company),
           "unpaired_reason": split_themes(pair.unpaired_reason)}
    if with_work:
        out["plan"] = plan_to_dict(work.plan_of(db.session, pair))
        out["reports"] = [report_to_dict(r) for _q, r in sorted(work.reports_of(db.session, pair).items())]
    return out


def _visible(user, pair: SisterPair) -> bool:
    """A published pair: everyone (its public fields); a draft: staff only."""
    return pair.round.status == RoundStatus.PUBLISHED or is_staff(user)


@bp.get("/pairs")
@bp.arguments(SisterPairListArgsSchema, location="query")
@bp.response(200, SisterPairListSchema)
@documented(bp, 422)
def list_pairs(args):
    """The pairs of `year`, by id: a published year for everyone, a draft for staff only (others get an
    empty list). Public fields only: kampung, places, partners, distances, shared themes."""
    query = select(SisterPair).join(SisterRound, SisterRound.id == SisterPair.round_id).where(
        SisterRound.year == args["year"])
    if not is_staff(actor()):
        query = query.where(SisterRound.status == RoundStatus.PUBLISHED)
    page = page_of(query, PAIR_ORDER, args)
    return listing([pair_to_dict(p) for p in page.items], page)


@bp.get("/pairs/<int:pair_id>")
@bp.response(200, SisterPairSchema)
@documented(bp, 404)
def get_pair(pair_id):
    """One pair; with its `plan` and `reports` for staff and the pair's parties."""
    user = actor()
    pair = load(SisterPair, pair_id, _visible)
    return pair_to_dict(pair, with_work=work.can_see_work(user, pair))


def _party_pair(pair_id) -> SisterPair:
    """A pair whose work the (signed-in) caller may see, else 404."""
    return load(SisterPair, pair_id, work.can_see_work)


@bp.put("/pairs/<int:pair_id>/plan")
@bp.arguments(SisterPlanWriteSchema)
@bp.response(200, SisterPairSchema)
@documented(bp, 400, 401, 403, 404, 422)
def write_plan(data, pair_id):
    """The pair's parties write the year plan (a draft; every field replaced, missing ones empty);
    `"submit": true` sends it to staff. Refused once submitted or approved."""
    user = require_login()
    pair = _party_pair(pair_id)
    submit = data.pop("submit", False)
    work.save_plan(db.session, user, pair, data)
    if submit:
        work.submit_plan(db.session, user, pair)
    db.session.commit()
    return pair_to_dict(pair, with_work=True)


@bp.post("/pairs/<int:pair_id>/plan/decision")
@bp.arguments(SisterPlanDecisionSchema)
@bp.response(200, SisterPairSchema)
@documented(bp, 400, 401, 403, 404, 422)
def decide_plan(data, pair_id):
    """Staff approve a submitted plan or return it with a `note`."""
    user = require_login()
    pair = _party_pair(pair_id)
    if not is_staff(user):
        raise forbidden()
    work.decide_plan(db.session, user, pair, data["decision"] == "approve", data.get("note", ""))
    db.session.commit()
    return pair_to_dict(pair, with_work=True)


@bp.get("/reports")
@bp.arguments(SisterReportListArgsSchema, location="query")
@bp.response(200, SisterReportListSchema)
@documented(bp, 401, 422)
def list_reports(args):
    """Quarterly reports the caller may see (staff: all; coordinators and partners: their pairs'), by id;
    filter `year`."""
    from gandeng.accounts.models import Role

    user = require_login()
    query = (select(SisterReport).join(SisterPair, SisterPair.id == SisterReport.pair_id)
             .join(SisterRound, SisterRound.id == SisterPair.round_id))
    if args.get("year"):
        query = query.where(SisterRound.year == args["year"])
    if not is_staff(user):
        query = query.where(SisterRound.status == RoundStatus.PUBLISHED)
        if user.role == Role.COORDINATOR and user.kampung_id:
            query = query.where(SisterPair.kampung_id == user.kampung_id)
        elif user.role == Role.PARTNER and user.organisation_id:
            query = query.where((SisterPair.campus_id == user.organisation_id)
                                | (SisterPair.company_id == user.organisation_id))
        else:
            query = query.where(SisterReport.id < 0)
    page = page_of(query, REPORT_ORDER, args)
    return listing([report_to_dict(r) for r in page.items], page)


@bp.post("/pairs/<int:pair_id>/reports")
@bp.arguments(SisterReportCreateSchema)
@bp.response(201, SisterReportSchema)
@documented(bp, 400, 401, 403, 404, 422)
def add_report(data, pair_id):
    """A party sends a quarter's report (text and figures; photos on the web page). One per quarter;
    `on_time` tells whether it came by the 15th of the month after the quarter."""
    user = require_login()
    pair = _party_pair(pair_id)
    quarter = data.pop("quarter")
    report = work.add_report(db.session, user, pair, quarter, data)
    db.session.commit()
    return report_to_dict(report)
