"""Web pages for offers: list, create, show, edit, activate and withdraw."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from gandeng.accounts.forms import EmptyForm
from gandeng.collaborations.queries import collaborations_of
from gandeng.db import db
from gandeng.list_cache import cached_list
from gandeng.errors import DomainError
from gandeng.languages import select_locale
from gandeng.offers import policies, queries, services
from gandeng.offers.forms import FilterForm, OfferForm, WithdrawForm
from gandeng.offers.models import Offer, OfferStatus
from gandeng.paging import Position
from gandeng.web import acting_user, load_or_404, require, search_text, show_domain_error

bp = Blueprint("offers", __name__, url_prefix="/offers")


def _filter_statuses(user) -> list[str]:
    """The statuses worth filtering by for this user: drafts and withdrawn offers only for those who see them."""
    shown = [OfferStatus.ACTIVE, OfferStatus.FULLY_COMMITTED, OfferStatus.EXPIRED]
    if policies.is_staff(user) or policies.can_create_offer(user):
        shown += [OfferStatus.DRAFT, OfferStatus.WITHDRAWN]
    return shown


def _page_context(session):
    """What every offer template needs to show areas, categories and statuses."""
    return {"area_names": queries.area_names(session), "display_status": services.display_status,
            "is_kemantren": queries.is_kemantren_code}


@bp.get("")
def index():
    user = acting_user()
    can_create = policies.can_create_offer(user)

    def list_part():
        filters = FilterForm(request.args).fill_choices(db.session, _filter_statuses(user), select_locale())
        chosen = filters.values()
        q = search_text()
        query = queries.filter_offers(queries.visible_offers(user), q=q, **chosen)
        page = queries.page_of_offers(db.session, query, Position.from_args(request.args),
                                      current_app.config["PER_PAGE"])
        return render_template(
            "offers/_index_body.html", page=page, filters=filters, chosen=chosen, q=q,
            args={**chosen, **({"q": q} if q else {})},
            figures=queries.figures_for(db.session, page.items),
            can_create=can_create, **_page_context(db.session),
        )

    body = cached_list("offers" if can_create else "offers-read", user, db.session, list_part)
    return render_template("offers/index.html", body=body)


def _activate_if_asked(form, offer) -> None:
    """After the form saved `offer`: activate it when asked. Refusal because the organisation is not
    verified keeps the draft (with a note); any other refusal is shown next to its field."""
    if not form.save_activate.data or offer.status != OfferStatus.DRAFT:
        return
    try:
        services.activate_offer(db.session, acting_user(), offer)
    except DomainError as error:
        if error.field:
            raise
        # Activation refuses before it changes anything, so the saved draft stays as it is.
        flash(error.message, "warning")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    user = acting_user()
    require(policies.can_create_offer(user))
    organisation = user.organisation
    form = OfferForm().fill_choices(db.session, select_locale())
    if form.validate_on_submit():
        try:
            offer = services.create_offer(db.session, user, organisation, form.service_data())
            _activate_if_asked(form, offer)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            if offer.status == OfferStatus.ACTIVE:
                flash(_("Penawaran disimpan dan sudah aktif."), "success")
            elif not form.save_activate.data:
                flash(_("Penawaran disimpan sebagai draf."), "success")
            return redirect(url_for("offers.show", offer_id=offer.id))
    return render_template("offers/form.html", form=form, offer=None, organisation=organisation,
                           can_activate=True)


@bp.get("/<int:offer_id>")
def show(offer_id):
    offer = load_or_404(Offer, offer_id, policies.can_view_offer)
    user = acting_user()
    return render_template(
        "offers/show.html", offer=offer, figures=queries.figures_for(db.session, [offer])[offer.id],
        can_edit=policies.can_edit_offer(user, offer), can_activate=policies.can_activate_offer(user, offer),
        can_withdraw=policies.can_withdraw_offer(user, offer), withdraw_form=WithdrawForm(formdata=None),
        collaborations=collaborations_of(db.session, current_user, offer_id=offer.id),
        **_page_context(db.session),
    )


@bp.route("/<int:offer_id>/edit", methods=["GET", "POST"])
@login_required
def edit(offer_id):
    offer = load_or_404(Offer, offer_id, policies.can_view_offer)
    user = acting_user()
    require(policies.can_edit_offer(user, offer))
    form = OfferForm(obj=offer) if request.method == "GET" else OfferForm()
    form.fill_choices(db.session, select_locale())
    if request.method == "GET":
        form.categories.data = [c.code for c in offer.categories]
        form.areas.data = [a.code for a in offer.areas]
    if form.validate_on_submit():
        try:
            services.update_offer(db.session, user, offer, form.service_data())
            _activate_if_asked(form, offer)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Perubahan penawaran disimpan."), "success")
            return redirect(url_for("offers.show", offer_id=offer.id))
    return render_template("offers/form.html", form=form, offer=offer, organisation=offer.organisation,
                           can_activate=offer.status == OfferStatus.DRAFT)


@bp.post("/<int:offer_id>/activate")
@login_required
def activate(offer_id):
    offer = load_or_404(Offer, offer_id, policies.can_view_offer)
    user = acting_user()
    require(policies.can_activate_offer(user, offer))
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.activate_offer(db.session, user, offer)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("Penawaran sudah aktif."), "success")
    return redirect(url_for("offers.show", offer_id=offer.id))


@bp.post("/<int:offer_id>/withdraw")
@login_required
def withdraw(offer_id):
    offer = load_or_404(Offer, offer_id, policies.can_view_offer)
    user = acting_user()
    require(policies.can_withdraw_offer(user, offer))
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "danger")
        return redirect(url_for("offers.show", offer_id=offer.id))
    services.withdraw_offer(db.session, user, offer, form.reason.data or "")
    db.session.commit()
    flash(_("Penawaran sudah ditarik."), "info")
    return redirect(url_for("offers.show", offer_id=offer.id))
