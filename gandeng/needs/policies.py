"""Who may see and change a need: named predicates used by views, API and services."""
from gandeng.accounts.models import Role
from gandeng.accounts.policies import is_staff, signed_in
from gandeng.needs.models import PUBLIC_STATUSES, NeedStatus

COORDINATOR_EDITABLE = (NeedStatus.DRAFT, NeedStatus.RETURNED, NeedStatus.SUBMITTED)
STAFF_EDITABLE = (NeedStatus.SUBMITTED, NeedStatus.RETURNED, NeedStatus.VERIFIED)
WITHDRAWABLE = (
    NeedStatus.DRAFT, NeedStatus.SUBMITTED, NeedStatus.RETURNED, NeedStatus.VERIFIED,
    NeedStatus.MATCHED, NeedStatus.IN_PROGRESS,
)


def is_own_coordinator(user, need) -> bool:
    """The user coordinates the kampung the need belongs to."""
    return signed_in(user) and user.role == Role.COORDINATOR and user.kampung_id == need.kampung_id


def can_create_need(user) -> bool:
    """Coordinators post needs for their own kampung."""
    return signed_in(user) and user.role == Role.COORDINATOR and user.kampung_id is not None


def can_view_need(user, need) -> bool:
    """Anyone sees verified needs; the own coordinator sees all; staff see all but drafts."""
    if need.status in PUBLIC_STATUSES or is_own_coordinator(user, need):
        return True
    return is_staff(user) and need.status != NeedStatus.DRAFT


def can_view_private(user, need) -> bool:
    """Households' names, KMS figures and contact numbers: staff and the own coordinator only."""
    return is_own_coordinator(user, need) or (is_staff(user) and need.status != NeedStatus.DRAFT)


def can_edit_need(user, need) -> bool:
    if is_own_coordinator(user, need):
        return need.status in COORDINATOR_EDITABLE
    return is_staff(user) and need.status in STAFF_EDITABLE


def can_submit_need(user, need) -> bool:
    return is_own_coordinator(user, need) and need.status in (NeedStatus.DRAFT, NeedStatus.RETURNED)


def can_withdraw_need(user, need) -> bool:
    if need.status not in WITHDRAWABLE:
        return False
    return is_own_coordinator(user, need) or (is_staff(user) and need.status != NeedStatus.DRAFT)


def can_review_need(user, need) -> bool:
    """Staff verify, return or reject a submitted need."""
    return is_staff(user) and need.status == NeedStatus.SUBMITTED


def can_view_attachment(user, need, attachment) -> bool:
    """Photos: those who see private data, and signed-in partners once the need is verified.
    Documents (PDF, often lists of households): staff and the own coordinator only."""
    if can_view_private(user, need):
        return True
    return (
        attachment.is_image
        and signed_in(user)
        and user.role == Role.PARTNER
        and need.status in PUBLIC_STATUSES
    )


def can_manage_attachments(user, need) -> bool:
    return can_edit_need(user, need)
