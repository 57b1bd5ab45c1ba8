"""Models to plain dicts with exactly the contract's fields (the JSON API and the exports share them)."""
from datetime import timezone

from gandeng.reason_text import reasons_id

BREAKDOWN_PARTS = ("text", "category", "geography", "urgency", "poverty", "severity", "kind")
KMS_SATURATION, POVERTY_KMS_SHARE = 0.5, 0.6   # as gandeng.matching.parts.poverty_part

PROPOSAL_FIELDS = ("id", "run_id", "need_id", "need_ref", "offer_id", "offer_ref", "amount_rp", "score",
                   "breakdown", "reasons", "status")


def proposal_to_dict(proposal, staff: bool = True) -> dict:
    """A proposal as the contract has it; load `need` and `offer` up front when serialising many.

    `staff` False (a partner or a coordinator through the API) hides KMS figures: reasons naming
    the KMS share are left out, and `poverty` holds only its public part, how little the kelurahan
    has received so far (the KMS share inside it would give the KMS count away with `households`).
    Reasons are rendered from their codes into the contract's short Indonesian sentences."""
    breakdown = dict(proposal.breakdown or {})
    if not staff:
        breakdown["poverty"] = _public_poverty(proposal, breakdown.get("poverty", 0.0))
    return {
        "id": proposal.id,
        "run_id": proposal.run_id,
        "need_id": proposal.need_id,
        "need_ref": proposal.need.ref if proposal.need is not None else None,
        "offer_id": proposal.offer_id,
        "offer_ref": proposal.offer.ref if proposal.offer is not None else None,
        "amount_rp": int(proposal.amount_rp),
        "score": float(proposal.score),
        "breakdown": {part: float(breakdown.get(part, 0.0)) for part in BREAKDOWN_PARTS},
        "reasons": reasons_id(proposal.reasons, staff),
        "status": str(proposal.status),
    }


def _public_poverty(proposal, poverty: float) -> float:
    """The "received little so far" part of the poverty score, without the KMS share."""
    need = proposal.need
    if need is None or not need.households:
        return 0.0
    share = min(1.0, (need.kms_households or 0) / need.households / KMS_SATURATION)
    spread = (float(poverty) - POVERTY_KMS_SHARE * share) / (1 - POVERTY_KMS_SHARE)
    return round(min(1.0, max(0.0, spread)), 4)


def proposal_csv_columns() -> list[str]:
    """CSV columns of a proposal: breakdown flattened into breakdown_<part>."""
    head = [f for f in PROPOSAL_FIELDS if f not in ("breakdown", "reasons", "status")]
    return head + [f"breakdown_{p}" for p in BREAKDOWN_PARTS] + ["reasons", "status"]


def proposal_to_csv_row(proposal) -> dict:
    """A proposal flattened for CSV: breakdown_<part> columns, reasons joined with " | "."""
    data = proposal_to_dict(proposal)
    row = {k: ("" if v is None else v) for k, v in data.items() if k not in ("breakdown", "reasons")}
    row.update({f"breakdown_{p}": data["breakdown"][p] for p in BREAKDOWN_PARTS})
    row["reasons"] = " | ".join(data["reasons"])
    return row


# --- needs, offers, collaborations (the JSON API) ---------------------------------------------------

def utc(moment):
    """A stored naive UTC time as an aware one (serialised with +00:00), None stays None."""
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


NEED_FIELDS = ("id", "ref", "kelurahan", "kemantren", "kampung", "rw", "category", "title", "description",
               "households", "kms_households", "cost_rp", "committed_rp", "remaining_rp", "deadline",
               "urgency", "partial_ok", "status", "created_at")
# Shown only to those who may see a need's private data (staff, the need's own coordinator);
# omitted from the need for everybody else.
NEED_PRIVATE_FIELDS = ("kms_households", "beneficiaries", "contact_phone", "status_reason")


def need_to_dict(need, committed_rp: int, private: bool) -> dict:
    """A need as the contract has it. `private` (policies.can_view_private) adds the personal
    fields; without it they are left out. Load kampung, kelurahan and kemantren up front for lists."""
    kelurahan = need.kelurahan
    data = {
        "id": need.id,
        "ref": need.ref,
        "kelurahan": {"code": kelurahan.code, "name": kelurahan.name},
        "kemantren": {"code": kelurahan.kemantren.code, "name": kelurahan.kemantren.name},
        "kampung": {"id": need.kampung.id, "name": need.kampung.name},
        "rw": need.rw or "",
        "category": need.category_code,
        "title": need.title,
        "description": need.description,
        "households": int(need.households or 0),
        "cost_rp": int(need.cost_rp),
        "committed_rp": int(committed_rp),
        "remaining_rp": max(int(need.cost_rp) - int(committed_rp), 0),
        "deadline": need.deadline,
        "urgency": str(need.urgency),
        "partial_ok": bool(need.partial_ok),
        "status": str(need.status),
        "created_at": utc(need.created_at),
    }
    if private:
        data.update(kms_households=int(need.kms_households or 0), beneficiaries=need.beneficiaries or "",
                    contact_phone=need.contact_phone or "", status_reason=need.status_reason or "")
    return data


def offer_to_dict(offer, committed_rp: int, status: str | None = None) -> dict:
    """An offer as the contract has it; `status` is the status shown (an active offer past its date
    is `expired`, see offers.services.display_status)."""
    return {
        "id": offer.id,
        "ref": offer.ref,
        "organisation": {"id": offer.organisation.id, "name": offer.organisation.name,
                         "type": str(offer.organisation.type)},
        "kind": str(offer.kind),
        "categories": [c.code for c in offer.categories],
        "title": offer.title,
        "description": offer.description,
        "capacity_rp": int(offer.capacity_rp),
        "committed_rp": int(committed_rp),
        "remaining_rp": max(int(offer.capacity_rp) - int(committed_rp), 0),
        "areas": [a.code for a in offer.areas],
        "valid_until": offer.valid_until,
        "status": str(status or offer.status),
    }


def collaboration_to_dict(commitment, with_reports: bool = False) -> dict:
    """A collaboration (an approved commitment) as the contract has it; optionally its progress reports."""
    data = {
        "id": commitment.id,
        "need_id": commitment.need_id,
        "offer_id": commitment.offer_id,
        "proposal_id": commitment.proposal_id,
        "amount_rp": int(commitment.amount_rp),
        "realised_rp": int(commitment.realised_rp or 0),
        "progress_percent": int(commitment.progress_percent or 0),
        "status": str(commitment.status),
        "created_at": utc(commitment.created_at),
    }
    if with_reports:
        data["reports"] = [
            {"id": r.id, "percent": r.percent, "text": r.text or "", "realised_rp": int(r.realised_rp or 0),
             "created_at": utc(r.created_at)}
            for r in commitment.reports
        ]
    return data


def run_to_dict(run) -> dict:
    """A matching run's summary."""
    return {
        "id": run.id, "status": str(run.status), "stage": run.stage or "", "progress": int(run.progress or 0),
        "parameters": run.parameters or {}, "counts": run.counts or {}, "proposed_rp": int(run.proposed_rp or 0),
        "duration_s": run.duration_s, "error": run.error or "", "created_at": utc(run.created_at),
        "started_at": utc(run.started_at), "finished_at": utc(run.finished_at),
    }
