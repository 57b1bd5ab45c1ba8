"""Staff page of the sister pairing (/sister) and the public list of a published year (/public/sister)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from gandeng.accounts.models import Kampung, Organisation
from gandeng.accounts.policies import is_staff
from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.formatting import today_wib
from gandeng.sister import services
from gandeng.reference.models import Kelurahan
from gandeng.sister.forms import KampungProfileForm, PartnerProfileForm
from gandeng.sister.models import KampungSisterProfile, PartnerSisterProfile, RoundStatus, SisterPair
from gandeng.web import load_or_404, require

bp = Blueprint("sister", __name__)


def _year(raw) -> int:
    """The year asked for (2020..2100), else next year (pairing is prepared for the coming year)."""
    text = str(raw or "").strip()
    if text.isdigit() and 2020 <= int(text) <= 2100:
        return int(text)
    return today_wib().year + 1


@bp.get("/sister")
@login_required
def index():
    require(is_staff(current_user))
    year = _year(request.args.get("year"))
    sister_round = services.round_of(db.session, year)
    pairs = services.pairs_for_display(db.session, sister_round) if sister_round else []
    labels = services.theme_labels(db.session)
    return render_template(
        "sister/index.html", year=year, sister_round=sister_round, pairs=pairs,
        summary=services.summarise(db.session, sister_round) if sister_round else None,
        by_kemantren=services.kemantren_distances(db.session, sister_round) if sister_round else [],
        reasons={p.id: services.explain(p, year, labels) for p in pairs},
        unpaired={p.id: services.unpaired_reasons(p) for p in pairs},
        theme_names=labels, published=RoundStatus.PUBLISHED,
        choices={side: services.partner_choices(db.session, kind) for kind, side in services.SIDES.items()},
    )


def _back(year):
    return redirect(url_for("sister.index", year=year))


@bp.post("/sister/run")
@login_required
def run():
    require(is_staff(current_user))
    year = _year(request.form.get("year"))
    try:
        sister_round, skipped = services.run_pairing(db.session, current_user, year)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return _back(year)
    summary = services.summarise(db.session, sister_round)
    db.session.commit()
    flash(_("Draf %(year)d dihitung: %(complete)d dari %(total)d kampung mendapat kampus dan perusahaan.",
            year=year, complete=summary.complete, total=summary.kampung), "success")
    if skipped:
        names = ", ".join(sorted(db.session.get(Organisation, i).name for i in skipped))
        flash(_("Tidak ikut dipasangkan (tanpa domisili atau kapasitas): %(names)s", names=names), "warning")
    return _back(year)


@bp.post("/sister/publish")
@login_required
def publish():
    require(is_staff(current_user))
    year = _year(request.form.get("year"))
    try:
        services.publish(db.session, current_user, year)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return _back(year)
    db.session.commit()
    flash(_("Pemasangan %(year)d diterbitkan; koordinator kampung dan mitra sudah diberi tahu.", year=year),
          "success")
    return _back(year)


@bp.post("/sister/remove-partner")
@login_required
def remove_partner():
    """A campus or company leaves a published year: only its kampung are paired again."""
    require(is_staff(current_user))
    year = _year(request.form.get("year"))
    raw = request.form.get("organisation_id", "")
    organisation = db.session.get(Organisation, int(raw)) if raw.isdigit() and len(raw) < 12 else None
    if organisation is None:
        flash(_("Pilih mitra dari daftar."), "warning")
        return _back(year)
    try:
        pairs = services.remove_partner(db.session, current_user, year, organisation)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return _back(year)
    side = services.SIDES[organisation.type]
    paired = sum(1 for p in pairs if getattr(p, f"{side}_id") is not None)
    db.session.commit()
    flash(_("%(name)s keluar dari pemasangan %(year)d: %(paired)d dari %(total)d kampungnya mendapat mitra baru.",
            name=organisation.name, year=year, paired=paired, total=len(pairs)), "success")
    return _back(year)


@bp.post("/sister/pairs/<int:pair_id>/lock")
@login_required
def lock(pair_id):
    require(is_staff(current_user))
    pair = load_or_404(SisterPair, pair_id)
    try:
        services.toggle_lock(db.session, current_user, pair, request.form.get("side", ""))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        db.session.commit()
    return _back(pair.round.year)


@bp.post("/sister/pairs/<int:pair_id>/partner")
@login_required
def set_partner(pair_id):
    require(is_staff(current_user))
    pair = load_or_404(SisterPair, pair_id)
    raw = request.form.get("organisation_id", "")
    organisation = db.session.get(Organisation, int(raw)) if raw.isdigit() else None
    if organisation is None:
        flash(_("Pilih mitra dari daftar."), "warning")
        return _back(pair.round.year)
    try:
        services.set_partner(db.session, current_user, pair, request.form.get("side", ""), organisation)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("%(kampung)s kini bersama %(name)s (dikunci).", kampung=pair.kampung.name,
                name=organisation.name), "success")
    return _back(pair.round.year)


@bp.get("/public/sister")
def public():
    """Published pairs: kampung, kelurahan, campus, company and shared themes; nothing personal."""
    years = services.published_years(db.session)
    year = _year(request.args.get("year")) if request.args.get("year") else (years[0] if years else None)
    pairs = services.published_pairs(db.session, year) if year else []
    return render_template("sister/public.html", year=year, years=years, pairs=pairs,
                           theme_names=services.theme_labels(db.session))


def _theme_choices():
    from gandeng.offers.forms import category_choices

    return category_choices(db.session, str(get_locale() or "id"))


@bp.route("/sister/profile/kampung/<int:kampung_id>", methods=["GET", "POST"])
@login_required
def kampung_profile(kampung_id):
    kampung = load_or_404(Kampung, kampung_id)
    require(services.can_edit_kampung_profile(current_user, kampung))
    profile = db.session.get(KampungSisterProfile, kampung.id)
    initial = None
    if profile is not None and request.method != "POST":
        initial = {"households": profile.households, "kms_households": profile.kms_households,
                   "themes": profile.theme_codes}
    form = KampungProfileForm(data=initial)
    form.themes.choices = _theme_choices()
    if form.validate_on_submit():
        try:
            services.update_kampung_profile(db.session, current_user, kampung, form.data)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Profil kampung sister %(name)s tersimpan.", name=kampung.name), "success")
            return redirect(url_for("sister.kampung_profile", kampung_id=kampung.id))
    status = 422 if request.method == "POST" else 200
    return render_template("sister/kampung_profile.html", form=form, kampung=kampung), status


@bp.route("/sister/profile/organisation/<int:organisation_id>", methods=["GET", "POST"])
@login_required
def partner_profile(organisation_id):
    organisation = load_or_404(Organisation, organisation_id)
    require(services.can_edit_partner_profile(current_user, organisation))
    if organisation.type not in services.SIDES:
        abort(404)
    profile = db.session.get(PartnerSisterProfile, organisation.id)
    initial = None
    if profile is not None and request.method != "POST":
        initial = {"capacity": profile.capacity, "home_kelurahan": profile.home_kelurahan_code,
                   "themes": profile.theme_codes, "contact_name": profile.contact_name,
                   "contact_phone": profile.contact_phone}
    form = PartnerProfileForm(data=initial)
    form.themes.choices = _theme_choices()
    form.home_kelurahan.choices = [("", _("— pilih kelurahan —"))] + [
        (k.code, k.name) for k in db.session.scalars(select(Kelurahan).order_by(Kelurahan.name))]
    if form.validate_on_submit():
        try:
            services.update_partner_profile(db.session, current_user, organisation, form.data)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Profil sister %(name)s tersimpan.", name=organisation.name), "success")
            return redirect(url_for("sister.partner_profile", organisation_id=organisation.id))
    status = 422 if request.method == "POST" else 200
    return render_template("sister/partner_profile.html", form=form, organisation=organisation), status


from gandeng.sister import work_views  # noqa: E402,F401  (the year's work of a pair: routes on this blueprint)
from gandeng.sister import figures_views  # noqa: E402,F401  (figures, open data, PDFs)
