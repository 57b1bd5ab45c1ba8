"""Web pages of Nglarisi: the office orders and follows its order, the group answers (also by a signed link
without login) and keeps its profile, staff curate groups and read the target and fairness figures."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from gandeng.accounts.models import Role, User
from gandeng.accounts.policies import is_staff, signed_in
from gandeng.db import db, utcnow
from gandeng.errors import Conflict, DomainError
from gandeng.formatting import long_date, today_wib
from gandeng.forms_common import options
from gandeng.nglarisi import forms, notices, orders, services, stats, texts
from gandeng.nglarisi.models import DOCUMENT_KINDS, Group, GroupStatus, Order, OrderStatus
from gandeng.web import acting_user, require, show_domain_error

bp = Blueprint("nglarisi", __name__, url_prefix="/nglarisi")


@bp.app_context_processor
def nglarisi_helpers():
    return {"nglarisi_texts": texts, "nglarisi_file_kinds": forms.FILE_KINDS, "nglarisi_answer_window": texts.window,
            "nglarisi_is_office": lambda: services.office_of(db.session, current_user) is not None}


@bp.app_template_filter("jam")
def clock_filter(value: str) -> str:
    """A stored "HH:MM" WIB time as Indonesians write it: 11.30."""
    return notices.clock(value)


def _order(order_id: int) -> Order:
    try:
        return orders.load_order(db.session, acting_user(), order_id)
    except DomainError:
        abort(404)


def _back(order: Order):
    return redirect(url_for("nglarisi.order", order_id=order.id))


def _refused(error: DomainError, order: Order):
    """A refused action: 403 when the role may not act; otherwise the order page again with the message
    (409 when the order moved on or was answered meanwhile, 422 for bad input)."""
    db.session.rollback()
    if error.status == 403:
        abort(403)
    flash(error.message, "warning")
    return order_page(order.id), 409 if isinstance(error, Conflict) else 422


def _invalid(form, order: Order):
    flash(" ".join(str(m) for line in form.errors.values() for m in line), "warning")
    return order_page(order.id), 422


# --- orders ---------------------------------------------------------------------------------------

@bp.get("/orders")
@login_required
def order_list():
    user = acting_user()
    require(is_staff(user) or user.role in (Role.OFFICE, Role.GROUP))
    rows = db.session.scalars(orders.visible_orders(db.session, user)
                              .order_by(Order.deliver_on.desc(), Order.id.desc()).limit(200)).all()
    group = services.group_of(db.session, user)
    return render_template("nglarisi/orders.html", orders=rows, group=group,
                           owed=orders.owed_to_group(db.session, group) if group else None,
                           office=services.office_of(db.session, user), now=utcnow(),
                           overdue=[o for o in rows if orders.is_overdue(o)])


def _order_form():
    from gandeng.accounts.views import kelurahan_choices

    form = forms.OrderForm()
    form.kelurahan.choices = kelurahan_choices()
    return form


@bp.route("/orders/new", methods=["GET", "POST"])
@login_required
def new_order():
    require(services.office_of(db.session, acting_user()) is not None)
    form = _order_form()
    if form.validate_on_submit():
        data = orders.OrderInput(deliver_on=form.date.data, deliver_time=form.time.data,
                                 kelurahan_code=form.kelurahan.data, portions=form.portions.data,
                                 budget_rp=form.budget_rp.data, note=form.note.data or "")
        try:
            order = orders.place_order(db.session, acting_user(), data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Pesanan ditawarkan ke %(group)s.", group=order.group.name), "success")
            return _back(order)
    status = 422 if form.is_submitted() else 200
    return render_template("nglarisi/order_form.html", form=form), status


@bp.get("/orders/<int:order_id>")
@login_required
def order(order_id):
    return order_page(order_id)


def order_page(order_id):
    """Where the order stands: status, group, deadline, every step with its reasons, and what the viewer
    may do next."""
    order = _order(order_id)
    user = acting_user()
    office = services.office_of(db.session, user)
    own_office = office is not None and office.id == order.office_id
    alternatives = []
    pick = None
    if own_office and order.status == OrderStatus.OFFERED:
        proposal = orders.proposal_for(db.session, order, utcnow(), skip=[order.group_id])
        alternatives = proposal.ranked[:5]
        pick = forms.PickForm()
        pick.group_id.choices = options(*[(r.group_id, r.name) for r in alternatives])
    own_group = services.group_of(db.session, user)
    may_answer = order.status == OrderStatus.OFFERED and (
        is_staff(user) or (own_group is not None and own_group.id == order.group_id))
    # The group that accepted must reach whoever ordered (where to bring it, who receives it): the
    # ordering person's name and WhatsApp, as the office sees the group's phone. Not before it accepts.
    orderer = None
    if order.status in (OrderStatus.ACCEPTED, OrderStatus.DELIVERED) and order.created_by_id and (
            is_staff(user) or (own_group is not None and own_group.id == order.group_id)):
        orderer = db.session.get(User, order.created_by_id)
    return render_template(
        "nglarisi/order.html", order=order, own_office=own_office or is_staff(user), may_answer=may_answer,
        alternatives=alternatives, pick=pick, delivered_form=forms.DeliveredForm(portions=order.portions),
        paid_form=forms.PaidForm(paid_on=today_wib(), amount_rp=order.value_rp), overdue=orders.is_overdue(order),
        show_contact=is_staff(user) or own_office, orderer=orderer,
        # The office's budget (what it could pay at most) is for the office and staff; a group sees its price
        # and the order's steps that concern it (orders.steps_seen_by).
        show_budget=is_staff(user) or own_office,
        steps=orders.steps_seen_by(order, None if is_staff(user) or own_office else getattr(own_group, "id", -1)))


def _step(order_id: int, action, message, category: str = "success", form_class=None, then=None):
    """One step on an order from its page: the form checked (when the step has one), the service called,
    committed and said; a refusal shows the order page again (403/409/422, see `_refused`). `action(order,
    form)` calls the service; `message(order)` is the flash text; `then(order)` the redirect (the order)."""
    order = _order(order_id)
    form = form_class() if form_class else None
    if form is not None and not form.validate_on_submit():
        return _invalid(form, order)
    try:
        action(order, form)
    except DomainError as error:
        return _refused(error, order)
    db.session.commit()
    flash(message(order), category)
    return then(order) if then else _back(order)


@bp.post("/orders/<int:order_id>/accept")
@login_required
def accept(order_id):
    return _step(order_id, lambda order, _form: orders.accept(db.session, acting_user(), order),
                 lambda _order: _("Pesanan diterima. Kantor sudah diberi tahu."))


@bp.post("/orders/<int:order_id>/decline")
@login_required
def decline(order_id):
    return _step(order_id, lambda order, _form: orders.decline(db.session, acting_user(), order,
                                                               request.form.get("reason", "")),
                 lambda _order: _("Pesanan ditolak dan dialihkan ke kelompok lain."), "info",
                 then=lambda _order: redirect(url_for("nglarisi.order_list")))


def _pick_form():
    form = forms.PickForm()
    raw = str(request.form.get("group_id", ""))
    form.group_id.choices = options((int(raw), "")) if raw.isdigit() and len(raw) < 10 else []
    return form


@bp.post("/orders/<int:order_id>/pick")
@login_required
def pick(order_id):
    return _step(order_id, lambda order, form: orders.pick_group(db.session, acting_user(), order,
                                                                 form.group_id.data, form.reason.data),
                 lambda order: _("Pesanan ditawarkan ke %(group)s.", group=order.group.name), form_class=_pick_form)


@bp.post("/orders/<int:order_id>/delivered")
@login_required
def delivered(order_id):
    return _step(order_id, lambda order, form: orders.mark_delivered(
        db.session, acting_user(), order, portions=form.portions.data, rating=form.rating.data,
        comment=form.comment.data or ""),
        lambda _order: _("Terima kasih: pengantaran dicatat."), form_class=forms.DeliveredForm)


@bp.post("/orders/<int:order_id>/paid")
@login_required
def paid(order_id):
    return _step(order_id, lambda order, form: orders.mark_paid(
        db.session, acting_user(), order, paid_on=form.paid_on.data, amount_rp=form.amount_rp.data),
        lambda _order: _("Pembayaran dicatat."), form_class=forms.PaidForm)


@bp.post("/orders/<int:order_id>/cancel")
@login_required
def cancel(order_id):
    return _step(order_id, lambda order, _form: orders.cancel(db.session, acting_user(), order,
                                                              request.form.get("reason", "")),
                 lambda _order: _("Pesanan dibatalkan."), "info")


# --- the signed link: one tap, no login ---------------------------------------------------------------

def _token_order(token: str):
    data = orders.read_answer_token(token, max_age_s=7 * 24 * 3600)
    if data is None:
        abort(404)
    order = db.session.get(Order, data["o"])
    if order is None:
        abort(404)
    return order, data


@bp.route("/o/<token>", methods=["GET", "POST"])
def answer(token):
    """The link in the group's WhatsApp/e-mail notice. GET shows the order and one button (link previews
    and scanners only GET, so nothing changes without a tap); POST answers. The link works once: it names
    the offer's attempt, which any answer, expiry or move ends."""
    order, data = _token_order(token)
    current = order.status == OrderStatus.OFFERED and order.group_id == data["g"] and order.attempt == data["a"]
    status = 200
    if request.method == "POST":  # CSRF checked by the app-wide CSRFProtect (the page carries the token)
        choice = request.form.get("answer")
        actor = acting_user() if signed_in(current_user) else None
        try:
            if choice == "accept":
                orders.accept(db.session, actor, order, group_id=data["g"], attempt=data["a"])
                flash(_("Pesanan diterima. Kantor sudah diberi tahu. Terima kasih!"), "success")
            elif choice == "decline":
                orders.decline(db.session, actor, order, request.form.get("reason", ""), group_id=data["g"],
                               attempt=data["a"])
                flash(_("Pesanan ditolak dan dialihkan ke kelompok lain."), "info")
            else:
                abort(400)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "warning")
            status = 409 if isinstance(error, Conflict) else 422
        else:
            db.session.commit()
        current = False
    return render_template("nglarisi/answer.html", order=order, current=current,
                           group=db.session.get(Group, data["g"])), status


# --- the group's own profile ------------------------------------------------------------------------

def _menu_lines(group: Group) -> str:
    return "\n".join(f"{item.name}; {item.price_per_portion_rp}" for item in group.menu)


def _parse_menu(text: str) -> list[tuple[str, int]]:
    from gandeng.rupiah import parse_rupiah

    items = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, _sep, price = line.rpartition(";")
        try:
            items.append((name.strip(), parse_rupiah(price.strip())))
        except ValueError:
            raise DomainError(_("Baris menu %(n)d: tulis nama; harga per porsi.", n=number), "menu") from None
    if not items:
        raise DomainError(_("Isi paling sedikit satu menu."), "menu")
    return items


_MONTHS = {name: number for number, names in enumerate(
    (("januari", "january", "jan"), ("februari", "february", "feb"), ("maret", "march", "mar"),
     ("april", "apr"), ("mei", "may"), ("juni", "june", "jun"), ("juli", "july", "jul"),
     ("agustus", "august", "agu", "aug"), ("september", "sep"), ("oktober", "october", "okt", "oct"),
     ("november", "nov"), ("desember", "december", "des", "dec")), start=1) for name in names}


def _day_off(text: str) -> date:
    """One day off as any date field takes it (31/12/2026, 2026-12-31) or as the page shows it back
    ("31 Desember 2026")."""
    from gandeng.forms_common import parse_date

    words = text.split()
    if len(words) == 3 and words[0].isdigit() and words[2].isdigit() and words[1].lower() in _MONTHS:
        return date(int(words[2]), _MONTHS[words[1].lower()], int(words[0]))
    return parse_date(text)


def _parse_days(text: str) -> list[str]:
    """The days off as ISO dates (stored so), or a DomainError naming every date not understood."""
    days, bad = [], []
    for part in (text or "").replace(";", ",").replace("\n", ",").split(","):
        if part.strip():
            try:
                days.append(_day_off(part.strip()).isoformat())
            except ValueError:
                bad.append(part.strip())
    if bad:
        raise DomainError(ngettext("Tanggal libur tidak sah: %(days)s. Tulis misalnya 25/12/2026.",
                                   "Tanggal libur tidak sah: %(days)s. Tulis misalnya 25/12/2026.",
                                   len(bad), days=", ".join(bad)), "days_off")
    return sorted(set(days))


def _days_text(days) -> str:
    """The stored days off as the field shows them: "25 Desember 2026, 31 Desember 2026"."""
    locale = str(get_locale() or "id")
    return ", ".join(long_date(date.fromisoformat(d), locale) for d in sorted(days or []))


@bp.route("/my-group", methods=["GET", "POST"])
@login_required
def my_group():
    """The group's own profile: every field is checked and every error shown at once (menu, days off,
    phone, numbers); nothing is saved until all are right."""
    from gandeng.accounts.phones import normalise_phone

    group = services.group_of(db.session, acting_user())
    require(group is not None)
    form = forms.GroupProfileForm(obj=group)
    if request.method == "GET":
        form.menu.data = _menu_lines(group)
        form.days_off.data = _days_text(group.days_off)
    if form.is_submitted():
        fields_ok = form.validate()
        parsed = {}
        for name, parse in (("menu", _parse_menu), ("days_off", _parse_days),
                            ("contact_phone", lambda text: normalise_phone(text or "", "contact_phone"))):
            if getattr(form, name).errors:
                continue
            try:
                parsed[name] = parse(getattr(form, name).data)
            except DomainError as error:
                show_domain_error(form, error)
        if fields_ok and len(parsed) == 3:
            try:
                data = {name: getattr(form, name).data or ("" if name not in ("capacity_per_day", "lead_time_hours")
                                                             else 0)
                        for name in ("description", "capacity_per_day", "lead_time_hours", "contact_phone",
                                     "bank_name", "bank_account_number", "bank_account_holder")}
                data["days_off"] = parsed["days_off"]
                bank_before = group.bank_verified_at
                services.update_group(db.session, acting_user(), group, data)
                services.replace_menu(db.session, acting_user(), group, parsed["menu"])
            except DomainError as error:
                db.session.rollback()
                show_domain_error(form, error)
            else:
                db.session.commit()
                flash(_("Profil kelompok disimpan."), "success")
                if bank_before is not None and group.bank_verified_at is None:
                    flash(_("Rekening berubah: petugas kota akan memverifikasinya lagi sebelum pembayaran."),
                          "warning")
                return redirect(url_for("nglarisi.my_group"))
    status = 422 if form.is_submitted() else 200
    return _my_group_page(group, form, status=status)


def _my_group_page(group: Group, form=None, file_form=None, status: int = 200):
    if form is None:
        form = forms.GroupProfileForm(obj=group, formdata=None)
        form.menu.data = _menu_lines(group)
        form.days_off.data = _days_text(group.days_off)
    history = services.status_history(db.session, group) if group.status == GroupStatus.SUSPENDED else []
    return render_template("nglarisi/my_group.html", form=form, group=group,
                           owed=orders.owed_to_group(db.session, group),
                           suspended_reason=history[0].note if history else "",
                           file_form=file_form or forms.GroupFileForm(formdata=None).with_menu(group)), status


# --- photos, logo, documents (gandeng.nglarisi.files) ---------------------------------------------------

def _upload(group: Group, page):
    """Store one file of `group` from the form; on a refusal `page(file_form, 422)` shows the form again."""
    from gandeng.nglarisi import files

    form = forms.GroupFileForm().with_menu(group)
    if form.validate_on_submit():
        try:
            files.add_file(db.session, acting_user(), group, form.kind.data, request.files.get("file"),
                           form.caption.data or "")
        except DomainError as error:
            db.session.rollback()
            if error.status == 403:
                abort(403)
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Berkas diunggah."), "success")
            return None
    return page(db.session.get(Group, group.id), form)


@bp.post("/my-group/files")
@login_required
def my_group_upload():
    group = services.group_of(db.session, acting_user())
    require(group is not None)
    refused = _upload(group, lambda g, form: _my_group_page(g, file_form=form, status=422))
    return refused or redirect(url_for("nglarisi.my_group") + "#files")


@bp.post("/groups/<int:group_id>/files")
@login_required
def group_upload(group_id):
    group = _staff_group(group_id)
    refused = _upload(group, lambda g, form: _group_page(g, file_form=form, status=422))
    return refused or redirect(url_for("nglarisi.group_detail", group_id=group.id) + "#files")


def _file(file_id: int):
    from gandeng.nglarisi import files
    from gandeng.nglarisi.models import GroupFile

    item = db.session.get(GroupFile, file_id)
    if item is None or not files.can_view(db.session, current_user, item):
        abort(404)
    return item


@bp.get("/files/<int:file_id>")
def group_file(file_id):
    """A photo or logo (public once the group is verified) or a document (staff and the group only)."""
    from gandeng.nglarisi import files
    from gandeng.uploads import stored_file_response

    item = _file(file_id)
    public = files.is_public(item)
    response = stored_file_response(files.file_path(item), item.content_type,
                                    "public, max-age=86400" if public else "private, no-store",
                                    as_attachment=not item.is_image,
                                    download_name=f"{item.kind}-{item.id}{'.pdf' if not item.is_image else ''}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _after_file_change(group: Group):
    if is_staff(current_user):
        return redirect(url_for("nglarisi.group_detail", group_id=group.id) + "#files")
    return redirect(url_for("nglarisi.my_group") + "#files")


@bp.post("/files/<int:file_id>/delete")
@login_required
def delete_group_file(file_id):
    from gandeng.nglarisi import files

    item = _file(file_id)
    group = item.group
    try:
        files.delete_file(db.session, acting_user(), item)
    except DomainError as error:
        db.session.rollback()
        abort(error.status if error.status in (403, 404) else 422)
    db.session.commit()
    flash(_("Berkas dihapus."), "info")
    return _after_file_change(group)


@bp.post("/files/<int:file_id>/checked")
@login_required
def check_group_file(file_id):
    from gandeng.nglarisi import files

    require(is_staff(current_user))
    item = _file(file_id)
    try:
        files.mark_checked(db.session, acting_user(), item)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("nglarisi.group_detail", group_id=item.group_id) + "#files"), 422
    db.session.commit()
    flash(_("Dokumen ditandai sudah diperiksa."), "success")
    return redirect(url_for("nglarisi.group_detail", group_id=item.group_id) + "#files")


# --- staff: curation ------------------------------------------------------------------------------

@bp.get("/groups")
@login_required
def groups():
    require(is_staff(current_user))
    from gandeng.nglarisi import recuration

    from sqlalchemy.orm import selectinload

    rows = db.session.scalars(select(Group).options(selectinload(Group.files), selectinload(Group.kelurahan))
                              .order_by(Group.visit_needed_at.is_(None), Group.name)).all()
    # Yearly re-curation: due 11 months after the last (the group was reminded), overdue after 12.
    today = today_wib()
    return render_template("nglarisi/groups.html", groups=rows, today=today,
                           recurate={g.id: recuration.state(g, today) for g in rows},
                           recurate_due={g.id: recuration.next_due(g.last_curated_on, today) for g in rows})


def _staff_group(group_id: int) -> Group:
    require(is_staff(current_user))
    group = db.session.get(Group, group_id)
    if group is None:
        abort(404)
    return group


@bp.get("/groups/<int:group_id>")
@login_required
def group_detail(group_id):
    return _group_page(_staff_group(group_id))


def _group_page(group: Group, member_form=None, file_form=None, status: int = 200):
    from gandeng.nglarisi import recuration

    today = today_wib()
    return render_template("nglarisi/group.html", group=group, member_form=member_form or forms.MemberForm(),
                           recurate=recuration.state(group, today),
                           recurate_due=recuration.next_due(group.last_curated_on, today),
                           owed=orders.owed_to_group(db.session, group), statuses=GroupStatus,
                           file_form=file_form or forms.GroupFileForm(formdata=None).with_menu(group),
                           document_kinds=DOCUMENT_KINDS, transitions=services.GROUP_TRANSITIONS.get(group.status, ()),
                           history=services.status_history(db.session, group)), status


@bp.route("/groups/<int:group_id>/status/<target>", methods=["GET", "POST"])
@login_required
def group_status(group_id, target):
    """Change a group's status in two steps: GET shows what will happen (and asks the reason, required
    for suspending), POST does it; the message names the group and its new status."""
    group = _staff_group(group_id)
    if target not in services.GROUP_TRANSITIONS.get(group.status, ()):
        flash(_("Status kelompok tidak dapat diubah ke sini."), "warning")
        return redirect(url_for("nglarisi.group_detail", group_id=group.id))
    note, error, status = "", None, 200
    if request.method == "POST":
        note = request.form.get("note", "")
        try:
            moved = services.set_group_status(db.session, acting_user(), group, target, note)
        except DomainError as refused:
            db.session.rollback()
            error, status = refused.message, 422
        else:
            db.session.commit()
            flash(_("%(group)s sekarang: %(status)s.", group=group.name, status=texts.GROUP_STATUS[target]), "success")
            if moved:
                flash(ngettext("%(num)d pesanan yang belum dijawab dialihkan ke kelompok berikutnya.",
                               "%(num)d pesanan yang belum dijawab dialihkan ke kelompok berikutnya.", moved),
                      "info")
            return redirect(url_for("nglarisi.group_detail", group_id=group.id))
    waiting = accepted = 0
    if target == GroupStatus.SUSPENDED:
        waiting = db.session.scalar(select(func.count()).select_from(Order).where(
            Order.group_id == group.id, Order.status == OrderStatus.OFFERED)) or 0
        accepted = orders.accepted_ahead(db.session, group, today_wib())
    return render_template("nglarisi/group_status.html", group=group, target=target, note=note, error=error,
                           verb=texts.status_verb(group.status, target), waiting=waiting,
                           accepted=accepted), status


@bp.post("/groups/<int:group_id>/recurated")
@login_required
def recurated(group_id):
    """Staff record the yearly re-curation as done (audited); the next falls due in a year."""
    from gandeng.nglarisi import recuration

    group = _staff_group(group_id)
    try:
        recuration.record_recuration(db.session, acting_user(), group, today_wib(), request.form.get("note", ""))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("nglarisi.group_detail", group_id=group.id)), 422
    db.session.commit()
    flash(_("Kurasi ulang dicatat. Kurasi berikutnya %(day)s.", day=long_date(
        recuration.next_due(group.last_curated_on, today_wib()), str(get_locale() or "id"))), "success")
    return redirect(url_for("nglarisi.group_detail", group_id=group.id))


@bp.post("/groups/<int:group_id>/bank")
@login_required
def verify_bank(group_id):
    group = _staff_group(group_id)
    try:
        services.verify_bank(db.session, acting_user(), group)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("nglarisi.group_detail", group_id=group.id)), 422
    db.session.commit()
    flash(_("Rekening terverifikasi."), "success")
    return redirect(url_for("nglarisi.group_detail", group_id=group.id))


@bp.post("/groups/<int:group_id>/visited")
@login_required
def visited(group_id):
    group = _staff_group(group_id)
    group.visit_needed_at = None
    from gandeng.audit.services import record

    record(db.session, acting_user(), "nglarisi.group_visited", group, note=request.form.get("note", "")[:500])
    db.session.commit()
    flash(_("Kunjungan dicatat."), "success")
    return redirect(url_for("nglarisi.group_detail", group_id=group.id))


@bp.post("/groups/<int:group_id>/members")
@login_required
def add_member(group_id):
    group = _staff_group(group_id)
    form = forms.MemberForm()
    if form.validate_on_submit():
        try:
            services.add_member(db.session, acting_user(), group, name=form.name.data, nik=form.nik.data,
                                kms_pkh=form.kms_pkh.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Anggota ditambahkan."), "success")
            return redirect(url_for("nglarisi.group_detail", group_id=group.id))
    return _group_page(group, member_form=form, status=422)


# --- staff: the target and fairness ------------------------------------------------------------------

def _year() -> int:
    raw = request.args.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today_wib().year


@bp.get("/stats")
@login_required
def stats_page():
    require(is_staff(current_user))
    year = _year()
    figures = stats.year_stats(db.session, year, today_wib())
    overdue = db.session.scalars(orders.overdue_query()).all()
    return render_template("nglarisi/stats.html", stats=figures, year=year, target=stats.TARGET_SHARE,
                           budget_form=forms.BudgetForm(year=year), overdue=overdue)


@bp.get("/stats.csv")
@login_required
def stats_csv():
    require(is_staff(current_user))
    from gandeng.reports.tabular import csv_response

    year = _year()
    figures = stats.year_stats(db.session, year, today_wib())
    return csv_response(f"nglarisi-{year}.csv", stats.CSV_HEADER, stats.csv_rows(figures))


@bp.get("/report.pdf")
@login_required
def monthly_report():
    """The monthly PDF (`?month=YYYY-MM`, default the current month)."""
    require(is_staff(current_user))
    from flask_babel import get_locale

    from gandeng.nglarisi.report import monthly_pdf

    raw = request.args.get("month", "")
    today = today_wib()
    year, month = today.year, today.month
    if len(raw) == 7 and raw[:4].isdigit() and raw[4] == "-" and raw[5:].isdigit() and 1 <= int(raw[5:]) <= 12 \
            and 2000 <= int(raw[:4]) <= 2100:
        year, month = int(raw[:4]), int(raw[5:])
    pdf = monthly_pdf(db.session, year, month, utcnow(), str(get_locale() or "id"))
    return pdf.response(f"nglarisi-{year}-{month:02d}.pdf")


@bp.post("/budgets")
@login_required
def budget():
    require(is_staff(current_user))
    form = forms.BudgetForm()
    if form.validate_on_submit():
        try:
            office = services.get_or_create_office(db.session, form.office.data)
            services.set_office_budget(db.session, acting_user(), office, form.year.data, form.food_budget_rp.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "warning")
            return redirect(url_for("nglarisi.stats_page")), 422
        db.session.commit()
        flash(_("Anggaran %(office)s tahun %(year)d disimpan.", office=office.name, year=form.year.data), "success")
        return redirect(url_for("nglarisi.stats_page", year=form.year.data))
    flash(" ".join(str(m) for line in form.errors.values() for m in line), "warning")
    return redirect(url_for("nglarisi.stats_page")), 422


# --- public catalogue ---------------------------------------------------------------------------------

@bp.get("/katalog")
def catalogue():
    """The public list of verified groups: kelurahan, a photo, a few menu items with prices and the
    portions a day. No member, phone or bank data."""
    from sqlalchemy.orm import selectinload

    rows = db.session.scalars(select(Group).where(Group.status == GroupStatus.VERIFIED)
                              .options(selectinload(Group.files), selectinload(Group.menu),
                                       selectinload(Group.kelurahan)).order_by(Group.name)).all()
    return render_template("nglarisi/catalogue.html", groups=rows)


@bp.get("/katalog/<int:group_id>")
def catalogue_group(group_id):
    group = db.session.get(Group, group_id)
    if group is None or group.status != GroupStatus.VERIFIED:
        abort(404)
    today = today_wib().isoformat()
    days_off = [date.fromisoformat(d) for d in sorted(group.days_off or []) if d >= today][:12]
    return render_template("nglarisi/catalogue_group.html", group=group, days_off=days_off)
