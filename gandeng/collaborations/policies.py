"""Who may see a collaboration and move it along: named predicates for views, API and services."""
from gandeng.accounts.models import Role
from gandeng.accounts.policies import is_staff, signed_in
from gandeng.collaborations.models import CommitmentStatus

OPEN_STATUSES = (CommitmentStatus.AWAITING_PARTNER, CommitmentStatus.IN_PROGRESS)


def is_partner_of(user, commitment) -> bool:
    """The user belongs to the organisation whose offer pays for the collaboration."""
    return (
        signed_in(user) and user.role == Role.PARTNER and user.organisation_id is not None
        and user.organisation_id == commitment.offer.organisation_id
    )


def is_coordinator_of(user, commitment) -> bool:
    """The user coordinates the kampung whose need the collaboration serves."""
    return (
        signed_in(user) and user.role == Role.COORDINATOR and user.kampung_id is not None
        and user.kampung_id == commitment.need.kampung_id
    )


def can_approve_proposals(user) -> bool:
    """Approving proposals and matching by hand commit public money: staff only."""
    return is_staff(user)


def can_view_collaboration(user, commitment) -> bool:
    """The two parties (partner organisation, kampung coordinator) and staff."""
    return is_staff(user) or is_partner_of(user, commitment) or is_coordinator_of(user, commitment)


def can_answer_collaboration(user, commitment) -> bool:
    """Confirm or decline: the partner (or staff on its behalf) while the partner has not answered."""
    return (
        commitment.status == CommitmentStatus.AWAITING_PARTNER
        and (is_partner_of(user, commitment) or is_staff(user))
    )


def can_report_progress(user, commitment) -> bool:
    """Progress reports: either party, while the work is in progress."""
    return (
        commitment.status == CommitmentStatus.IN_PROGRESS
        and (is_partner_of(user, commitment) or is_coordinator_of(user, commitment))
    )


def can_report_completion(user, commitment) -> bool:
    """The partner says the work is done (once), while in progress."""
    return (
        commitment.status == CommitmentStatus.IN_PROGRESS
        and commitment.completion_reported_at is None
        and is_partner_of(user, commitment)
    )


def can_confirm_completion(user, commitment) -> bool:
    """The kampung's coordinator confirms what the partner reported as done."""
    return (
        commitment.status == CommitmentStatus.IN_PROGRESS
        and commitment.completion_reported_at is not None
        and is_coordinator_of(user, commitment)
    )


def can_cancel_collaboration(user, commitment) -> bool:
    """Staff cancel a collaboration that is not finished (the unrealised money goes back)."""
    return is_staff(user) and commitment.status in OPEN_STATUSES


def can_view_progress_photo(user, commitment) -> bool:
    """Photos of the work: whoever sees the collaboration (public pages come later)."""
    return can_view_collaboration(user, commitment)
