"""The base form and fields shared by every form: Indonesian messages, Rupiah and date input."""
import re
from datetime import date, datetime
from typing import NamedTuple

from flask_babel import gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice, StringField
from wtforms.widgets import DateInput
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from gandeng.formatting import rupiah
from gandeng.rupiah import parse_rupiah  # the one reader, also re-exported for older imports

# WTForms ships no Indonesian catalogue: its built-in messages are translated here.
_WTFORMS_MESSAGES = {
    "This field is required.": _l("Wajib diisi."),
    "Not a valid choice.": _l("Pilihan tidak sah."),
    "Not a valid integer value.": _l("Harus berupa bilangan bulat."),
    "Not a valid decimal value.": _l("Harus berupa angka."),
    "Not a valid float value.": _l("Harus berupa angka."),
    "Not a valid date value.": _l("Tanggal tidak sah."),
    "Invalid email address.": _l("Alamat email tidak sah."),
    "Field must be equal to %(other_name)s.": _l("Isian tidak sama."),
    "Invalid Choice: could not coerce.": _l("Pilihan tidak sah."),
    "Invalid input.": _l("Isian tidak sah."),
    "Number must be at least %(min)s.": _l("Angka minimal %(min)s."),
    "Number must be at most %(max)s.": _l("Angka maksimal %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Angka harus antara %(min)s dan %(max)s."),
}


class _Translations:
    def gettext(self, string):
        return str(_WTFORMS_MESSAGES.get(string, gettext(string)))

    def ngettext(self, singular, plural, n):
        if "at least" in singular:
            return str(_l("Minimal %(min)d karakter."))
        if "longer than" in singular:
            return str(_l("Maksimal %(max)d karakter."))
        return self.gettext(singular if n == 1 else plural)


_TRANSLATIONS = _Translations()


class ErrorLine(NamedTuple):
    """One line of a form's error summary: the message and where to jump to fix it."""

    anchor: str   # the id of the control to focus ('' for errors of the whole form)
    label: str
    message: str


def field_anchor(field) -> str:
    """The id a link should jump to: the field, or its first option for radio buttons and checkboxes."""
    if getattr(field, "option_widget", None) is not None or field.type == "RadioField":
        for option in field:
            return option.id
    return field.id


class Form(FlaskForm):
    """FlaskForm (with CSRF) whose built-in messages speak Indonesian."""

    class Meta:
        def get_translations(self, form):
            return _TRANSLATIONS

    def error_summary(self) -> list[ErrorLine]:
        """Every error of the form at once, in the order of its fields (for the summary at the top)."""
        lines = [ErrorLine("", "", str(message)) for message in self.form_errors]
        for field in self:
            if field.type == "CSRFTokenField":
                continue  # the summary says "send again" for it
            for message in field.errors if isinstance(field.errors, (list, tuple)) else []:
                # A field whose label is a long statement carries a short `summary_name` for this list.
                name = getattr(field, "summary_name", None) or field.label.text
                lines.append(ErrorLine(field_anchor(field), str(name), str(message)))
        return lines

    # --- security: control characters (one filter for every text field of every form) -----------
    def validate(self, extra_validators=None):
        """The fields' own checks, then: no field may carry NUL or other control characters."""
        valid = super().validate(extra_validators)
        for field in self:
            if any(isinstance(raw, str) and has_control_characters(raw) for raw in field.raw_data or ()):
                field.errors = [*field.errors, gettext("Isian memuat karakter kendali yang tidak diizinkan.")]
                valid = False
        return valid


# NUL and the other C0/C1 control characters and DEL; tab and line breaks are ordinary text.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str) -> bool:
    """True when `text` holds a character no one types (NUL, escape, backspace…)."""
    return _CONTROL_CHARACTERS.search(text) is not None


def required():
    return DataRequired(message=_l("Wajib diisi."))


def optional():
    return Optional()


class WholeRange(NumberRange):
    """NumberRange saying its bounds with thousands signs ("antara 0 dan 100.000", not 100000)."""

    def __call__(self, form, field):
        from gandeng.formatting import current_lang, whole

        try:
            super().__call__(form, field)
        except ValidationError:
            raise ValidationError(gettext("Angka harus antara %(min)s dan %(max)s.",
                                          min=whole(self.min, current_lang()),
                                          max=whole(self.max, current_lang()))) from None


def max_length(n: int):
    return Length(max=n, message=_l("Maksimal %(max)d karakter."))


def parse_date(value) -> date:
    """A date from YYYY-MM-DD or DD/MM/YYYY (also DD-MM-YYYY), or a date/datetime as it is."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("not a date")


class RupiahField(StringField):
    """Rupiah typed the way people write it ("50 juta", "Rp 50.000.000"); `data` is an int or None.
    `understood` says back what was read ("Rp50.000.000"), so a typo shows before it is saved."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if self.raw.strip():
            try:
                self.data = parse_rupiah(self.raw)
            except ValueError as exc:
                raise ValueError(gettext("Tulis jumlah Rupiah, misalnya 1.500.000 atau 1,5 juta.")) from exc

    @property
    def understood(self) -> str:
        """The amount as read, written the Indonesian way ('' when nothing valid was typed)."""
        return rupiah(self.data) if isinstance(self.data, int) and not self.errors else ""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:,}".replace(",", ".") if self.data is not None else ""


class FlexibleDateField(Field):
    """A date typed as YYYY-MM-DD (the phone's date picker) or DD/MM/YYYY."""

    widget = DateInput()

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        self.data = None
        if raw.strip():
            try:
                self.data = parse_date(raw)
            except ValueError as exc:
                raise ValueError(gettext("Tanggal tidak sah. Tulis misalnya 2026-12-31 atau 31/12/2026.")) from exc

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if self.data else ""


def options(*pairs):
    """Select or radio choices from (value, label) pairs (WTForms 3.3 wants SelectChoice objects)."""
    return [SelectChoice(value, label) for value, label in pairs]
