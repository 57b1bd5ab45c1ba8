"""Phone numbers in one form (E.164, "+6281234567890") so that 0812…, +62 812… and 62812… are one number."""
import phonenumbers
from flask_babel import gettext as _

from gandeng.errors import DomainError

DEFAULT_REGION = "ID"  # a number written without a country code is Indonesian


def normalise_phone(raw: str | None, field: str = "phone") -> str:
    """`raw` as E.164 ("+6281234567890"); "" stays ""; a number that cannot exist is a DomainError."""
    text = (raw or "").strip()
    if not text:
        return ""
    candidate = text
    # "62812…" without the plus is how WhatsApp and many people write Indonesian numbers.
    digits = "".join(ch for ch in text if ch.isdigit())
    if not text.startswith(("+", "0")) and digits.startswith("62"):
        candidate = "+" + digits
    try:
        number = phonenumbers.parse(candidate, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DomainError(_("Nomor HP tidak sah. Tulis misalnya 0812 3456 7890 atau +62 812 3456 7890."), field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def whatsapp_id(e164: str) -> str:
    """The Cloud API's `to` / `wa_id`: E.164 without the plus."""
    return (e164 or "").lstrip("+")


def phone_or_none(raw: str | None) -> str | None:
    """E.164 of `raw`, or None when it is empty or not a phone number (for lookups, never raises)."""
    try:
        return normalise_phone(raw) or None
    except DomainError:
        return None
