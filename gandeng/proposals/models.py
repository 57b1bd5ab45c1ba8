"""MatchingRun and Proposal: what a run of the matcher proposed, and what staff decided."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, CheckConstraint, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gandeng.accounts.models import User
from gandeng.db import db, utcnow


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class MatchingRun(db.Model):
    __tablename__ = "matching_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.QUEUED, index=True)
    progress: Mapped[int] = mapped_column(default=0)  # 0..100, shown while the run works
    stage: Mapped[str] = mapped_column(String(40), default="")
    job_id: Mapped[str] = mapped_column(String(64), default="")
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)  # weights and settings used
    counts: Mapped[dict] = mapped_column(JSON, default=dict)  # needs, offers, candidates, proposals
    proposed_rp: Mapped[int] = mapped_column(BigInteger, default=0)
    # Offers whose money found no good need: [{"offer_id", "unused_rp", "detail"}].
    unmatched: Mapped[list] = mapped_column(JSON, default=list)
    duration_s: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # The worker's last sign of life while the run works (gandeng.proposals.liveness).
    heartbeat_at: Mapped[datetime | None]
    started_by: Mapped[User | None] = relationship()


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    STALE = "stale"
    SUPERSEDED = "superseded"


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("amount_rp > 0", name="amount_positive"),
        CheckConstraint("score >= 0 AND score <= 1", name="score_in_range"),
        # Also the index for need_id alone (a need's proposals): a separate one only cost time
        # when a run stores and supersedes its proposals (issue 15).
        Index("ix_proposals_pair", "need_id", "offer_id"),
        Index("ix_proposals_run_status", "run_id", "status"),
        # The review queue groups open proposals by need and orders by the best score.
        # ... and the index for status alone.
        Index("ix_proposals_status_need_score", "status", "need_id", "score"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("matching_runs.id"))
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"))
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    amount_rp: Mapped[int] = mapped_column(BigInteger)
    score: Mapped[float] = mapped_column(Float)
    breakdown: Mapped[dict] = mapped_column(JSON, default=dict)  # text, category, geography, urgency, poverty
    # Reason codes with parameters, {"code", "params", "negative"} (gandeng.matching.Reason); rendered
    # in the reader's language by gandeng.reason_text. Rows from before issue 13 hold sentences.
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    # The engine's next-best offers for this need and why they lost:
    # [{"offer_id", "score", "breakdown", "reasons", "lost"}] (issue 13); None before it.
    alternatives: Mapped[list | None] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=ProposalStatus.PROPOSED)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")  # why rejected or why stale
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    run: Mapped[MatchingRun | None] = relationship()
    need = relationship("Need")
    offer = relationship("Offer")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
