"""Request and response schemas of the JSON API (marshmallow): they validate what comes in,
shape what goes out, and generate the OpenAPI document.

Strictness: JSON integers must be JSON integers (2.5, "2", "2.5" and true are refused); strings have
maximum lengths and may not contain NUL; unknown JSON fields are refused (422, "Kolom tidak
dikenal."). Unknown *query* parameters are ignored.
"""
import numbers

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from gandeng.collaborations import rules as collaboration_rules
from gandeng.collaborations.models import CommitmentStatus
from gandeng.needs import rules as need_rules
from gandeng.needs.models import NeedStatus, Urgency
from gandeng.offers import rules as offer_rules
from gandeng.offers.models import OfferKind, OfferStatus
from gandeng.proposals.models import ProposalStatus, RunStatus

MAX_ID = 2**31 - 1
MAX_PAGE = 100_000
MAX_PER_PAGE = 100


class Text(fields.String):
    """A string without NUL characters or lone surrogates (which no database stores)."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in value:
            raise ValidationError("Invalid input type.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("Invalid input type.") from None
        return value


def text(max_length: int, **kwargs) -> Text:
    return Text(validate=validate.Length(max=max_length), **kwargs)


class StrictInteger(fields.Integer):
    """A JSON integer and nothing else: no 2.5, no "2", no true/false."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise self.make_error("invalid")
        return super()._validated(value)


class StrictBoolean(fields.Boolean):
    """true or false only."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def whole(low: int, high: int, **kwargs) -> StrictInteger:
    return StrictInteger(validate=validate.Range(min=low, max=high), **kwargs)


def choice(values, **kwargs) -> Text:
    return Text(validate=validate.OneOf([str(v) for v in values]), **kwargs)


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


# --- auth -----------------------------------------------------------------------------------------

class TokenRequestSchema(StrictSchema):
    email = text(254, required=True)
    password = text(200, required=True)
    name = text(80, metadata={"description": "A label for the token (e.g. the integration's name)."})


class TokenSchema(Schema):
    token = fields.String(required=True, metadata={"description": "Send as `Authorization: Bearer TOKEN`."})
    expires_at = fields.DateTime(required=True)


# --- lists ----------------------------------------------------------------------------------------

class PageArgsSchema(Schema):
    """Query: `per_page` (1..100, default 20) and where to start: `after` (the `next` cursor of the
    previous answer; fast at any depth, never skips or repeats a row) or `page` (from 1)."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE),
                          metadata={"description": "Page number (ignored when `after` is given)."})
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    after = Text(validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,400}$"),
                 metadata={"description": "The `next` cursor of the previous page."})


class SearchArgsSchema(PageArgsSchema):
    """Paging and `q`: words searched as parts of words (see docs/search.md)."""

    q = text(200, metadata={"description": "Search words; every word must be found (title, description, "
                                           "ref, kampung, kelurahan, organisation)."})


def list_schema(item_schema, name: str):
    """{"items": [...], "total", "page", "per_page", "next"} of `item_schema`."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema), required=True),
        "total": fields.Integer(required=True),
        "page": fields.Integer(required=True),
        "per_page": fields.Integer(required=True),
        "next": fields.String(required=True, allow_none=True, metadata={
            "description": "Cursor of the next page (send as `after`); null on the last page."}),
    }, name=name)


# --- reference ------------------------------------------------------------------------------------

class KelurahanSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)


class KemantrenSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    kelurahan = fields.List(fields.Nested(KelurahanSchema), required=True)


class CategorySchema(Schema):
    code = fields.String(required=True)
    label = fields.String(required=True, metadata={"description": "Indonesian label"})
    label_en = fields.String(required=True)


class CodeNameSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class IdNameSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


# --- needs ----------------------------------------------------------------------------------------

class NeedSchema(Schema):
    """A need. `kms_households`, `beneficiaries`, `contact_phone` and `status_reason` are personal or
    internal: present only for staff and the need's own coordinator, omitted (not null) for others."""

    id = fields.Integer(required=True)
    ref = fields.String(required=True, allow_none=True)
    kelurahan = fields.Nested(CodeNameSchema, required=True)
    kemantren = fields.Nested(CodeNameSchema, required=True)
    kampung = fields.Nested(IdNameSchema, required=True)
    rw = fields.String(required=True)
    category = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    households = fields.Integer(required=True)
    kms_households = fields.Integer()
    cost_rp = fields.Integer(required=True)
    committed_rp = fields.Integer(required=True)
    remaining_rp = fields.Integer(required=True)
    deadline = fields.Date(required=True, allow_none=True)
    urgency = fields.String(required=True, validate=validate.OneOf(list(Urgency)))
    partial_ok = fields.Boolean(required=True)
    status = fields.String(required=True, validate=validate.OneOf(list(NeedStatus)))
    created_at = fields.DateTime(required=True)
    beneficiaries = fields.String()
    contact_phone = fields.String()
    status_reason = fields.String()


NeedListSchema = list_schema(NeedSchema, "NeedList")


class NeedListArgsSchema(SearchArgsSchema):
    status = choice(NeedStatus)
    category = text(32)
    kelurahan = text(20)
    kemantren = text(16)


_NEED_LENGTH = need_rules.LENGTHS  # the limits the web form and the service use (needs/rules.py)
_NEED_COST = (need_rules.COST_MIN_RP, need_rules.MAX_COST_RP)


class NeedWriteSchema(StrictSchema):
    """Fields a coordinator writes; PATCH sends any subset."""

    ref = text(_NEED_LENGTH["ref"], allow_none=True)
    rw = text(_NEED_LENGTH["rw"])
    category = text(32)
    title = text(_NEED_LENGTH["title"])
    description = text(_NEED_LENGTH["description"])
    households = whole(0, need_rules.HOUSEHOLDS_MAX)
    kms_households = whole(0, need_rules.HOUSEHOLDS_MAX)
    cost_rp = whole(*_NEED_COST)
    deadline = fields.Date(allow_none=True)
    urgency = choice(Urgency)
    partial_ok = StrictBoolean()
    beneficiaries = text(_NEED_LENGTH["beneficiaries"])
    contact_phone = text(_NEED_LENGTH["contact_phone"])


class NeedCreateSchema(NeedWriteSchema):
    category = text(32, required=True)
    title = text(_NEED_LENGTH["title"], required=True)
    description = text(_NEED_LENGTH["description"], required=True)
    cost_rp = whole(*_NEED_COST, required=True)
    submit = StrictBoolean(metadata={"description": "true: submit to staff for verification at once"})


class ReasonSchema(StrictSchema):
    reason = text(need_rules.REASON_MAX, required=True)


class OptionalReasonSchema(StrictSchema):
    reason = text(max(need_rules.REASON_MAX, offer_rules.REASON_MAX))  # withdrawing a need or an offer


# --- offers ---------------------------------------------------------------------------------------

class OrganisationSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    type = fields.String(required=True)


class OfferSchema(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True, allow_none=True)
    organisation = fields.Nested(OrganisationSchema, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(list(OfferKind)))
    categories = fields.List(fields.String(), required=True, metadata={"description": "category codes; empty = any"})
    title = fields.String(required=True)
    description = fields.String(required=True)
    capacity_rp = fields.Integer(required=True)
    committed_rp = fields.Integer(required=True)
    remaining_rp = fields.Integer(required=True)
    areas = fields.List(fields.String(), required=True,
                        metadata={"description": "kemantren or kelurahan codes; empty = the whole city"})
    valid_until = fields.Date(required=True, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(list(OfferStatus)))


OfferListSchema = list_schema(OfferSchema, "OfferList")


class OfferListArgsSchema(SearchArgsSchema):
    status = choice(OfferStatus)
    kind = choice(OfferKind)
    category = text(32)
    org_type = choice(("korporat", "kampus", "komunitas"))


_OFFER_LENGTH = offer_rules.LENGTHS  # the limits the web form and the service use (offers/rules.py)
_OFFER_CAPACITY = (offer_rules.CAPACITY_MIN_RP, offer_rules.MAX_CAPACITY_RP)


class OfferWriteSchema(StrictSchema):
    ref = text(_OFFER_LENGTH["ref"], allow_none=True)
    kind = choice(OfferKind)
    categories = fields.List(text(32), validate=validate.Length(max=offer_rules.MAX_CATEGORIES))
    title = text(_OFFER_LENGTH["title"])
    description = text(_OFFER_LENGTH["description"])
    capacity_rp = whole(*_OFFER_CAPACITY)
    areas = fields.List(text(offer_rules.AREA_NAME_MAX), validate=validate.Length(max=offer_rules.MAX_AREAS),
                        metadata={"description": "kemantren or kelurahan codes or names"})
    valid_until = fields.Date(allow_none=True)


class OfferCreateSchema(OfferWriteSchema):
    kind = choice(OfferKind, required=True)
    title = text(_OFFER_LENGTH["title"], required=True)
    description = text(_OFFER_LENGTH["description"], required=True)
    capacity_rp = whole(*_OFFER_CAPACITY, required=True)
    activate = StrictBoolean(metadata={"description": "true: publish at once (the organisation must be verified)"})


# --- matching and proposals -----------------------------------------------------------------------

def _weight():
    return fields.Float(validate=validate.Range(min=0, max=100), allow_nan=False)


class WeightsSchema(StrictSchema):
    text = _weight()
    category = _weight()
    geography = _weight()
    urgency = _weight()
    poverty = _weight()
    severity = _weight()


class RunCreateSchema(StrictSchema):
    weights = fields.Nested(WeightsSchema)
    # Score given up per band of a kemantren's money beyond its fair share (0 = no spreading).
    fairness = fields.Float(validate=validate.Range(min=0, max=1), allow_nan=False)


class RunSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(list(RunStatus)))
    stage = fields.String(required=True)
    progress = fields.Integer(required=True)
    parameters = fields.Dict(required=True)
    counts = fields.Dict(required=True)
    proposed_rp = fields.Integer(required=True)
    duration_s = fields.Float(required=True, allow_none=True)
    error = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    started_at = fields.DateTime(required=True, allow_none=True)
    finished_at = fields.DateTime(required=True, allow_none=True)


class BreakdownSchema(Schema):
    text = fields.Float(required=True)
    category = fields.Float(required=True)
    geography = fields.Float(required=True)
    urgency = fields.Float(required=True)
    poverty = fields.Float(required=True)  # for non-staff only the "received little so far" part
    severity = fields.Float(required=True)  # the condition the need describes (issue 13)
    kind = fields.Float(required=True)      # kind-of-help fit: 1 = what the need asks for


class ProposalSchema(Schema):
    id = fields.Integer(required=True)
    run_id = fields.Integer(required=True, allow_none=True)
    need_id = fields.Integer(required=True)
    need_ref = fields.String(required=True, allow_none=True)
    offer_id = fields.Integer(required=True)
    offer_ref = fields.String(required=True, allow_none=True)
    amount_rp = fields.Integer(required=True)
    score = fields.Float(required=True)
    breakdown = fields.Nested(BreakdownSchema, required=True)
    reasons = fields.List(fields.String(), required=True)
    status = fields.String(required=True, validate=validate.OneOf(list(ProposalStatus)))


ProposalListSchema = list_schema(ProposalSchema, "ProposalList")


class ProposalListArgsSchema(PageArgsSchema):
    status = choice(ProposalStatus)
    run = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    need = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    offer = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))


class IdempotencyHeaderSchema(Schema):
    class Meta:
        unknown = "exclude"

    idempotency_key = Text(data_key="Idempotency-Key", validate=validate.Length(min=8, max=80),
                           metadata={"description": "A retried approval with the same key commits once."})


# --- collaborations -------------------------------------------------------------------------------

class ProgressReportSchema(Schema):
    id = fields.Integer(required=True)
    percent = fields.Integer(required=True)
    text = fields.String(required=True)
    realised_rp = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)


class CollaborationSchema(Schema):
    id = fields.Integer(required=True)
    need_id = fields.Integer(required=True)
    offer_id = fields.Integer(required=True)
    proposal_id = fields.Integer(required=True, allow_none=True)
    amount_rp = fields.Integer(required=True)
    realised_rp = fields.Integer(required=True)
    progress_percent = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(list(CommitmentStatus)))
    created_at = fields.DateTime(required=True)
    reports = fields.List(fields.Nested(ProgressReportSchema),
                          metadata={"description": "progress reports, oldest first (single collaboration only)"})


CollaborationListSchema = list_schema(CollaborationSchema, "CollaborationList")


class CollaborationListArgsSchema(SearchArgsSchema):
    status = choice(CommitmentStatus)


class ProgressCreateSchema(StrictSchema):
    percent = whole(0, collaboration_rules.MAX_PERCENT, required=True)
    text = text(collaboration_rules.MAX_TEXT)
    # Never more than the collaboration's amount, which fits in its offer (the service checks the amount).
    realised_rp = whole(0, offer_rules.MAX_CAPACITY_RP, allow_none=True,
                        metadata={"description": "total Rupiah realised so far; omitted or null keeps the last figure"})


# --- stats ----------------------------------------------------------------------------------------

class TotalsSchema(Schema):
    needs = fields.Integer(required=True)
    needed_rp = fields.Integer(required=True)
    committed_rp = fields.Integer(required=True)
    realised_rp = fields.Integer(required=True)


class AreaTotalsSchema(TotalsSchema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class StatsSchema(TotalsSchema):
    collaborations_by_status = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    by_kemantren = fields.List(fields.Nested(AreaTotalsSchema), required=True)
    by_category = fields.List(fields.Nested(AreaTotalsSchema), required=True)


# --- errors ---------------------------------------------------------------------------------------

class ErrorBodySchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), data_key="fields")


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)
