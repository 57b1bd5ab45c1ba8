"""What a partner reads before agreeing to a collaboration: the need's public side, why it was
proposed, and (once agreed) how to reach the kampung's coordinator.

Never to a partner: households' names, KMS counts or shares, the need's contact number."""
from dataclasses import dataclass, field

from gandeng.collaborations.models import CommitmentStatus
from gandeng.formatting import wa_link
from gandeng.notifications.services import coordinators_of

# A matcher reason bit that speaks of KMS households (gandeng/matching/reasons.py) stays with staff.
_PRIVATE_MARK = "KMS"


@dataclass
class Briefing:
    photos: list = field(default_factory=list)
    reasons: list = field(default_factory=list)  # structured (dict) or an older run's sentences
    coordinator_name: str = ""
    coordinator_whatsapp: str | None = None
    # A coordinator of the kampung has a WhatsApp number: the page promises it only then (review walk:
    # the promise was made, and not kept, for a kampung whose coordinator gave no number).
    coordinator_reachable: bool = False
    manual: bool = False  # paired by hand by staff (no matcher reasons)


def public_reasons(reasons) -> list:
    """The matcher's reasons without any that mentions KMS households: structured reasons (codes
    with parameters, rendered by the `reason_text` filter in the reader's language) lose their
    private codes; a sentence stored by an older run loses each bit that names KMS."""
    from gandeng.reason_text import is_private

    found = []
    for reason in reasons or []:
        if isinstance(reason, dict):
            if not is_private(reason):
                found.append(reason)
            continue
        bits = [bit for bit in str(reason).split(", ") if _PRIVATE_MARK not in bit]
        if bits:
            found.append(", ".join(bits))
    return found


def briefing(session, commitment) -> Briefing:
    """The need's photos and the reasons it was proposed; the coordinator's WhatsApp only once the
    partner has agreed (in progress or completed)."""
    need = commitment.need
    found = Briefing(photos=[a for a in need.attachments if a.is_image][:4])
    if commitment.proposal is not None:
        found.reasons = public_reasons(commitment.proposal.reasons)
    else:
        found.manual = True
    agreed = commitment.status in (CommitmentStatus.IN_PROGRESS, CommitmentStatus.COMPLETED)
    for coordinator in coordinators_of(session, need.kampung_id):
        link = wa_link(coordinator.phone)
        if link:
            found.coordinator_reachable = True
            if agreed:
                found.coordinator_name, found.coordinator_whatsapp = coordinator.name, link
            break
    return found
