"""Models to plain dicts with exactly the contract's fields (the JSON API and the exports share them)."""

BREAKDOWN_PARTS = ("text", "category", "geography", "urgency", "poverty")

PROPOSAL_FIELDS = ("id", "run_id", "need_id", "need_ref", "offer_id", "offer_ref", "amount_rp", "score",
                   "breakdown", "reasons", "status")


def proposal_to_dict(proposal) -> dict:
    """A proposal as the contract has it; load `need` and `offer` up front when serialising many."""
    breakdown = proposal.breakdown or {}
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
        "reasons": list(proposal.reasons or []),
        "status": str(proposal.status),
    }


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
