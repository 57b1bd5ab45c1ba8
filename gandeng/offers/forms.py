"""Offer forms: the offer itself, withdrawing it and the list filters."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from gandeng import labels
from gandeng.forms_common import FlexibleDateField, Form, RupiahField, max_length, optional, options, required
from gandeng.offers import rules
from gandeng.reference.services import categories, kemantren_with_kelurahan


def _not_a_choice(count: int) -> str:
    return str(_l("Pilihan tidak sah: '%(value)s'."))


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes; nothing ticked gives an empty list."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def kind_choices():
    return options(("", _l("— pilih bentuk bantuan —")), *labels.OFFER_KIND.items())


def category_choices(session, locale: str = "id"):
    return [
        SelectChoice(c.code, c.label_en if locale == "en" else c.label_id) for c in categories(session)
    ]


def area_choices(session):
    """Each kemantren (the whole of it) followed by its kelurahan, grouped by kemantren."""
    choices = []
    for kemantren in kemantren_with_kelurahan(session):
        group = str(_l("Kemantren %(name)s", name=kemantren.name))
        choices.append(SelectChoice(kemantren.code, str(_l("Seluruh Kemantren %(name)s", name=kemantren.name)),
                                    optgroup=group))
        for kelurahan in kemantren.kelurahan:
            choices.append(SelectChoice(kelurahan.code, kelurahan.name, optgroup=group))
    return choices


class OfferForm(Form):
    kind = SelectField(_l("Bentuk bantuan"), validators=[required()])
    title = StringField(_l("Judul penawaran"), validators=[required(), max_length(rules.LENGTHS["title"])])
    description = TextAreaField(_l("Uraian"), validators=[required(), max_length(rules.LENGTHS["description"])])
    # InputRequired, not DataRequired: the latter would hide RupiahField's own "how to write it" message.
    capacity_rp = RupiahField(_l("Nilai penawaran (Rp)"), validators=[InputRequired(message=_l("Wajib diisi."))])
    valid_until = FlexibleDateField(_l("Berlaku sampai"), validators=[optional()])
    categories = CheckboxesField(_l("Kategori yang dibantu"), validators=[optional()],
                                 invalid_choice_message=_not_a_choice)
    # Checkboxes grouped by kemantren (templates/offers/_areas.html): a phone has no Ctrl key for a
    # multiple select. Same field name and values as before; nothing ticked means the whole city.
    areas = CheckboxesField(_l("Wilayah"), validators=[optional()], invalid_choice_message=_not_a_choice)
    save_draft = SubmitField(_l("Simpan sebagai draf"))
    save_activate = SubmitField(_l("Simpan dan aktifkan"))

    def fill_choices(self, session, locale: str = "id"):
        """Choices come from the reference tables, so they are set per request."""
        self.kind.choices = kind_choices()
        self.categories.choices = category_choices(session, locale)
        self.areas.choices = area_choices(session)
        return self

    def area_groups(self) -> list[tuple[str, list]]:
        """The area checkboxes per kemantren: (kemantren name, [its own box, then its kelurahan])."""
        heading = {choice.value: choice.optgroup for choice in self.areas.choices}
        groups: dict[str, list] = {}
        for option in self.areas:
            groups.setdefault(heading.get(option.data) or "", []).append(option)
        return list(groups.items())

    def service_data(self) -> dict:
        """The fields as `services.clean_offer_fields` takes them."""
        return {
            "kind": self.kind.data,
            "title": self.title.data,
            "description": self.description.data,
            "capacity_rp": self.capacity_rp.data,
            "valid_until": self.valid_until.data,
            "categories": list(self.categories.data or []),
            "areas": list(self.areas.data or []),
        }


class WithdrawForm(Form):
    reason = TextAreaField(_l("Alasan (boleh kosong)"), validators=[optional(), max_length(rules.REASON_MAX)])


class FilterForm(Form):
    """The list filters, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Bentuk"), validators=[optional()])
    category = SelectField(_l("Kategori"), validators=[optional()])
    status = SelectField(_l("Status"), validators=[optional()])
    org_type = SelectField(_l("Jenis organisasi"), validators=[optional()])

    def fill_choices(self, session, statuses, locale: str = "id"):
        everything = SelectChoice("", str(_l("Semua")))
        self.kind.choices = [everything, *options(*labels.OFFER_KIND.items())]
        self.category.choices = [everything, *category_choices(session, locale)]
        self.status.choices = [everything, *options(*((s, labels.OFFER_STATUS[s]) for s in statuses))]
        self.org_type.choices = [everything, *options(*labels.ORG_TYPE.items())]
        return self

    def values(self) -> dict:
        """Only the filters that hold a valid choice (a tampered address filters nothing)."""
        chosen = {}
        for name in ("kind", "category", "status", "org_type"):
            field = getattr(self, name)
            allowed = {c.value for c in field.choices}
            if field.data and field.data in allowed:
                chosen[name] = field.data
        return chosen
