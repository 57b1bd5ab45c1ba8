"""Sister pairing services: run the solver over the database, keep the year's draft, explain, publish.

Services take `session` and `actor`, flush and never commit (the caller does)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from gandeng.accounts.models import Kampung, Organisation, OrgType, Role, User
from gandeng.audit.services import record
from gandeng.db import utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.formatting import decimal

from gandeng.reference.models import Kelurahan
from gandeng.reference.services import categories
from gandeng.sister import solver
from gandeng.sister.models import (
    KampungSisterProfile, PartnerSisterProfile, RoundStatus, SisterPair, SisterRound, join_themes, split_themes,
)

if TYPE_CHECKING:
    from gandeng.matching.geography import Geography

SIDES = {"kampus": "campus", "korporat": "company"}


def _require_staff(actor):
    if actor is not None and not actor.is_staff:
        raise NotAllowed(_("Hanya petugas kota yang dapat melakukan ini."))


def city_geography(session) -> Geography:
    """The kelurahan points of the reference data, for distances between kampung and partners."""
    from gandeng.matching.geography import Geography, Kelurahan as GeoKelurahan  # lazy: numpy

    rows = session.scalars(select(Kelurahan).options(selectinload(Kelurahan.kemantren)))
    return Geography(GeoKelurahan(k.code, k.name, k.kemantren_code, k.kemantren.name, k.lat, k.lon) for k in rows)


def round_of(session, year: int) -> SisterRound | None:
    return session.scalar(select(SisterRound).where(SisterRound.year == year))


def _inputs(session):
    """Verified kampung and verified campuses/companies with their sister profiles, as solver inputs."""
    kampung_rows = session.execute(
        select(Kampung, KampungSisterProfile)
        .outerjoin(KampungSisterProfile, KampungSisterProfile.kampung_id == Kampung.id)
        .where(Kampung.verified_at.is_not(None)).order_by(Kampung.id)
    ).all()
    kampung = [solver.SisterKampung(k.id, k.kelurahan_code, frozenset(p.theme_codes if p else ()))
               for k, p in kampung_rows]
    partner_rows = session.execute(
        select(Organisation, PartnerSisterProfile)
        .join(PartnerSisterProfile, PartnerSisterProfile.organisation_id == Organisation.id)
        .where(Organisation.verified_at.is_not(None),
               Organisation.type.in_([OrgType.KAMPUS, OrgType.KORPORAT])).order_by(Organisation.id)
    ).all()
    partners = [solver.SisterPartner(o.id, o.type, p.home_kelurahan_code, p.capacity, frozenset(p.theme_codes))
                for o, p in partner_rows]
    return kampung, partners


def _previous_partners(session, year: int) -> dict[int, set[int]]:
    """Kampung id -> partner ids of last year's published pairing."""
    last = round_of(session, year - 1)
    if last is None or last.status != RoundStatus.PUBLISHED:
        return {}
    return {p.kampung_id: {i for i in (p.campus_id, p.company_id) if i} for p in last.pairs}


def _locks(existing: SisterRound | None) -> dict[int, set[int]]:
    if existing is None:
        return {}
    locks = {}
    for p in existing.pairs:
        ids = {i for i, locked in ((p.campus_id, p.campus_locked), (p.company_id, p.company_locked)) if locked and i}
        if ids:
            locks[p.kampung_id] = ids
    return locks


def _lock_message(session, error: solver.LockError) -> str:
    kampung = session.get(Kampung, error.kampung_id)
    organisation = session.get(Organisation, error.partner_id)
    names = {"kampung": kampung.name if kampung else str(error.kampung_id),
             "partner": organisation.name if organisation else str(error.partner_id)}
    if error.problem == "over capacity":
        return _("Pasangan terkunci %(kampung)s – %(partner)s melebihi kapasitas %(partner)s; buka kunci salah "
                 "satu pasangannya atau naikkan kapasitasnya.", **names)
    if error.problem == "two partners of one kind":
        return _("%(kampung)s terkunci pada dua mitra sejenis; buka salah satu kuncinya.", **names)
    return _("Pasangan terkunci %(kampung)s – %(partner)s tidak bisa dipakai: %(partner)s tidak lagi punya "
             "kapasitas, domisili atau verifikasi; buka kuncinya.", **names)


def run_pairing(session, actor, year: int, solver_name: str = "auto") -> tuple[SisterRound, dict[int, str]]:
    """Compute the year's pairing and keep it as the year's draft (an earlier draft is replaced, its
    locked pairs kept); refused when the year is already published. Returns the draft and the partners
    left out (organisation id -> 'no_home_base' or 'no_capacity')."""
    _require_staff(actor)
    existing = round_of(session, year)
    if existing is not None and existing.status == RoundStatus.PUBLISHED:
        raise DomainError(_("Pemasangan tahun %(year)d sudah diterbitkan dan tidak dapat dihitung ulang.",
                            year=year), "year")
    kampung, partners = _inputs(session)
    if not kampung:
        raise DomainError(_("Belum ada kampung terverifikasi untuk dipasangkan."), "year")
    geography = city_geography(session)

    def distance_km(a, b):
        return float(geography.distance_km[geography.index[a], geography.index[b]])

    started = time.perf_counter()
    try:
        result = solver.pair(kampung, partners, distance_km, previous=_previous_partners(session, year),
                             locks=_locks(existing), solver=solver_name)
    except solver.LockError as error:
        raise DomainError(_lock_message(session, error), "locks") from None
    seconds = time.perf_counter() - started
    if existing is not None:
        session.delete(existing)
        session.flush()
    new = SisterRound(year=year, status=RoundStatus.DRAFT, seconds=round(seconds, 3),
                      solver="+".join(sorted({s.solver for s in result.sides.values() if s.solver})),
                      created_by_id=actor.id if actor else None)
    session.add(new)
    for k in kampung:
        pair = SisterPair(kampung_id=k.id)
        reasons = []
        for kind, name in SIDES.items():
            side = result.sides[kind]
            assignment = side.assignments.get(k.id)
            if assignment is None:
                reasons.append(f"{kind}:{side.unpaired.get(k.id, solver.SHORT_CAPACITY)}")
                continue
            setattr(pair, f"{name}_id", assignment.partner_id)
            setattr(pair, f"{name}_km", assignment.km)
            setattr(pair, f"continued_{name}", assignment.continued)
            setattr(pair, f"{name}_locked", assignment.locked)
            setattr(pair, f"{name}_themes", join_themes(assignment.shared_themes))
        pair.unpaired_reason = ";".join(reasons)
        new.pairs.append(pair)
    session.flush()
    record(session, actor, "sister.run", new, after={
        "year": year, "kampung": len(new.pairs), "complete": sum(1 for p in new.pairs if p.is_complete),
        "locked": sum(len(v) for v in _locks(existing).values()) if existing else 0})
    return new, result.skipped_partners


@dataclass
class Summary:
    kampung: int
    complete: int
    without_campus: int
    without_company: int
    mean_campus_km: float | None
    mean_company_km: float | None
    largest_load: int
    largest_load_capacity: int
    largest_load_partner: str


def summarise(session, sister_round: SisterRound) -> Summary:
    """Counts, mean distances and the fullest partner of a round."""
    pairs = sister_round.pairs
    campus_km = [p.campus_km for p in pairs if p.campus_id is not None]
    company_km = [p.company_km for p in pairs if p.company_id is not None]
    load = {}
    for p in pairs:
        for partner_id in (p.campus_id, p.company_id):
            if partner_id is not None:
                load[partner_id] = load.get(partner_id, 0) + 1
    capacity = dict(session.execute(select(PartnerSisterProfile.organisation_id, PartnerSisterProfile.capacity)
                                    .where(PartnerSisterProfile.organisation_id.in_(list(load) or [0]))).all())
    fullest, name = None, ""
    if load:
        fullest = max(load, key=lambda i: (load[i] / max(capacity.get(i, 1), 1), load[i], -i))
        name = session.get(Organisation, fullest).name
    return Summary(
        kampung=len(pairs),
        complete=sum(1 for p in pairs if p.is_complete),
        without_campus=sum(1 for p in pairs if p.campus_id is None),
        without_company=sum(1 for p in pairs if p.company_id is None),
        mean_campus_km=sum(campus_km) / len(campus_km) if campus_km else None,
        mean_company_km=sum(company_km) / len(company_km) if company_km else None,
        largest_load=load.get(fullest, 0),
        largest_load_capacity=capacity.get(fullest, 0),
        largest_load_partner=name,
    )


def _locale() -> str:
    return str(get_locale() or "id")


def km_text(km: float) -> str:
    """'3,1 km' (Indonesian decimal comma)."""
    return _("%(km)s km", km=decimal(km, _locale(), 1))


# Travel time is an estimate from the straight-line distance between kelurahan points: roads are about
# 1.3 times longer than the straight line, and city traffic moves at about 20 km/h (motorbike or car,
# Yogyakarta's centre). The platform has no road network, so no route is computed.
ROAD_FACTOR = 1.3
CITY_KMH = 20.0


def travel_minutes(km: float) -> int:
    """Estimated minutes on the road for a straight-line distance (3,1 km -> 12); at least 1."""
    return max(1, round(km * ROAD_FACTOR / CITY_KMH * 60))


def distance_text(km: float) -> str:
    """'± 12 menit / 3,1 km': estimated travel time and straight-line distance."""
    return _("± %(minutes)d menit / %(km)s", minutes=travel_minutes(km), km=km_text(km))


UNPAIRED_TEXT = {
    ("kampus", solver.SHORT_CAPACITY): _l("Belum ada kampus: kapasitas semua kampus sudah penuh."),
    ("korporat", solver.SHORT_CAPACITY): _l("Belum ada perusahaan: kapasitas semua perusahaan sudah penuh."),
    ("kampus", solver.NO_PARTNER): _l("Belum ada kampus: tidak ada kampus dengan kapasitas dan domisili."),
    ("korporat", solver.NO_PARTNER): _l("Belum ada perusahaan: tidak ada perusahaan dengan kapasitas dan "
                                        "domisili."),
}


def unpaired_reasons(pair: SisterPair) -> list[str]:
    """Why this kampung lacks a campus or a company, in words."""
    texts = []
    for code in split_themes(pair.unpaired_reason):
        kind, _sep, why = code.partition(":")
        texts.append(str(UNPAIRED_TEXT.get((kind, why), why)))
    return texts


def explain(pair: SisterPair, year: int, theme_labels: dict[str, str]) -> dict[str, list[str]]:
    """The reasons of each side of a pair: ['± 12 menit / 3,1 km', 'tema sama: …', 'melanjutkan 2026',
    'dikunci']."""
    lines = {}
    for name in SIDES.values():
        if getattr(pair, f"{name}_id") is None:
            continue
        reasons = [distance_text(getattr(pair, f"{name}_km"))]
        shared = split_themes(getattr(pair, f"{name}_themes"))
        if shared:
            reasons.append(_("tema sama: %(themes)s", themes=", ".join(
                theme_labels.get(code, code) for code in shared)))
        if getattr(pair, f"continued_{name}"):
            reasons.append(_("melanjutkan %(year)d", year=year - 1))
        if getattr(pair, f"{name}_locked"):
            reasons.append(_("dikunci petugas"))
        lines[name] = reasons
    return lines


def theme_labels(session) -> dict[str, str]:
    english = _locale().startswith("en")
    return {c.code: (c.label_en if english else c.label_id) for c in categories(session)}


EXPORT_COLUMNS = ("kampung", "kelurahan", "kemantren", "campus", "company", "campus_km", "company_km",
                  "shared_themes", "continued")


def export_rows(session, sister_round: SisterRound) -> list[dict]:
    """One row per kampung as the contract's `sister export` (unpaired first, then by kemantren)."""
    pairs = session.scalars(
        select(SisterPair).where(SisterPair.round_id == sister_round.id)
        .options(selectinload(SisterPair.kampung).selectinload(Kampung.kelurahan).selectinload(Kelurahan.kemantren),
                 selectinload(SisterPair.campus), selectinload(SisterPair.company))
    ).all()
    rows = []
    for p in sorted(pairs, key=_display_order):
        kelurahan = p.kampung.kelurahan
        rows.append({
            "kampung": p.kampung.name,
            "kelurahan": kelurahan.name,
            "kemantren": kelurahan.kemantren.name,
            "campus": p.campus.name if p.campus else "",
            "company": p.company.name if p.company else "",
            "campus_km": f"{p.campus_km:.1f}" if p.campus_km is not None else "",
            "company_km": f"{p.company_km:.1f}" if p.company_km is not None else "",
            "shared_themes": ";".join(split_themes(p.shared_themes)),
            "continued": "ya" if (p.continued_campus or p.continued_company) else "tidak",
        })
    return rows


def _display_order(pair: SisterPair):
    kelurahan = pair.kampung.kelurahan
    return (pair.is_complete, kelurahan.kemantren.name, kelurahan.name, pair.kampung.name, pair.kampung_id)


def pairs_for_display(session, sister_round: SisterRound) -> list[SisterPair]:
    """The round's pairs, unpaired kampung first, then by kemantren, kelurahan and kampung name."""
    pairs = session.scalars(
        select(SisterPair).where(SisterPair.round_id == sister_round.id)
        .options(selectinload(SisterPair.kampung).selectinload(Kampung.kelurahan).selectinload(Kelurahan.kemantren),
                 selectinload(SisterPair.campus), selectinload(SisterPair.company))
    ).all()
    return sorted(pairs, key=_display_order)


def publish(session, actor, year: int) -> SisterRound:
    """Freeze the year's draft and tell each kampung's coordinators and each partner's members."""
    from gandeng.notifications.services import notify

    _require_staff(actor)
    sister_round = round_of(session, year)
    if sister_round is None:
        raise DomainError(_("Belum ada draf pemasangan tahun %(year)d.", year=year), "year")
    if sister_round.status == RoundStatus.PUBLISHED:
        raise DomainError(_("Pemasangan tahun %(year)d sudah diterbitkan.", year=year), "year")
    sister_round.status = RoundStatus.PUBLISHED
    sister_round.published_at = utcnow()
    session.flush()
    record(session, actor, "sister.publish", sister_round, before={"status": str(RoundStatus.DRAFT)},
           after={"status": str(RoundStatus.PUBLISHED), "year": year})
    link = "/sister/mine"  # where each coordinator and partner finds their pairs, plans and reports
    for pair in pairs_for_display(session, sister_round):
        coordinators = session.scalars(select(User).where(User.role == Role.COORDINATOR,
                                                          User.kampung_id == pair.kampung_id)).all()
        names = {"kampung": pair.kampung.name, "year": year,
                 "campus": pair.campus.name if pair.campus else "–",
                 "company": pair.company.name if pair.company else "–"}
        message = _l("Pasangan sister %(year)d: %(kampung)s bersama %(campus)s dan %(company)s.", **names)
        notify(session, coordinators, "sister_published", message, link)
        for organisation_id in (pair.campus_id, pair.company_id):
            if organisation_id is None:
                continue
            members = session.scalars(select(User).where(User.role == Role.PARTNER,
                                                         User.organisation_id == organisation_id)).all()
            notify(session, members, "sister_published", message, link)
    return sister_round


def _draft_pair(pair: SisterPair) -> None:
    if pair.round.status != RoundStatus.DRAFT:
        raise DomainError(_("Pemasangan tahun %(year)d sudah diterbitkan dan tidak dapat diubah.",
                            year=pair.round.year))


def toggle_lock(session, actor, pair: SisterPair, side: str) -> bool:
    """Lock or unlock the campus ('campus') or company ('company') of a draft pair; returns the new state.
    A locked partner stays when the pairing is run again."""
    _require_staff(actor)
    _draft_pair(pair)
    if side not in SIDES.values() or getattr(pair, f"{side}_id") is None:
        raise DomainError(_("Tidak ada mitra untuk dikunci."), "side")
    locked = not getattr(pair, f"{side}_locked")
    setattr(pair, f"{side}_locked", locked)
    session.flush()
    record(session, actor, "sister.lock" if locked else "sister.unlock", pair, after={"side": side})
    return locked


def partner_choices(session, kind: str) -> list[Organisation]:
    """Verified organisations of `kind` with a sister profile, a home base and capacity, by name."""
    return session.scalars(
        select(Organisation).join(PartnerSisterProfile, PartnerSisterProfile.organisation_id == Organisation.id)
        .where(Organisation.type == kind, Organisation.verified_at.is_not(None), PartnerSisterProfile.capacity > 0,
               PartnerSisterProfile.home_kelurahan_code.is_not(None)).order_by(Organisation.name)
    ).all()


def set_partner(session, actor, pair: SisterPair, side: str, organisation: Organisation) -> None:
    """Staff put `organisation` as the pair's campus or company by hand; the choice is locked so a new run
    keeps it. Refused when the organisation is of the other kind, has no profile or is full."""
    _require_staff(actor)
    _draft_pair(pair)
    kind = {v: k for k, v in SIDES.items()}.get(side)
    if kind is None or organisation.type != kind:
        raise DomainError(_("%(name)s bukan mitra jenis ini.", name=organisation.name), "side")
    profile = session.get(PartnerSisterProfile, organisation.id)
    if profile is None or profile.home_kelurahan_code is None or profile.capacity <= 0:
        raise DomainError(_("%(name)s belum punya kapasitas dan domisili untuk kampung sister.",
                            name=organisation.name), "side")
    column = getattr(SisterPair, f"{side}_id")
    load = session.scalar(select(func.count()).select_from(SisterPair).where(
        SisterPair.round_id == pair.round_id, column == organisation.id, SisterPair.id != pair.id))
    if load >= profile.capacity:
        raise DomainError(_("%(name)s sudah penuh (%(load)d dari %(capacity)d kampung).", name=organisation.name,
                            load=load, capacity=profile.capacity), "side")
    geography = city_geography(session)
    km = float(geography.distance_km[geography.index[pair.kampung.kelurahan_code],
                                     geography.index[profile.home_kelurahan_code]])
    kampung_profile = session.get(KampungSisterProfile, pair.kampung_id)
    previous = _previous_partners(session, pair.round.year).get(pair.kampung_id, set())
    before = {f"{side}_id": getattr(pair, f"{side}_id")}
    setattr(pair, f"{side}_id", organisation.id)
    setattr(pair, f"{side}_km", round(km, 3))
    setattr(pair, f"continued_{side}", organisation.id in previous)
    setattr(pair, f"{side}_locked", True)
    pair.unpaired_reason = ";".join(code for code in split_themes(pair.unpaired_reason)
                                    if not code.startswith(f"{kind}:"))
    kampung_themes = set(kampung_profile.theme_codes if kampung_profile else ())
    setattr(pair, f"{side}_themes", join_themes(kampung_themes & set(profile.theme_codes)))
    session.flush()
    record(session, actor, "sister.set_partner", pair, before=before, after={f"{side}_id": organisation.id})


def published_pairs(session, year: int) -> list[SisterPair]:
    """The pairs of a published year (for the public page), or [] when the year is not published."""
    sister_round = round_of(session, year)
    if sister_round is None or sister_round.status != RoundStatus.PUBLISHED:
        return []
    return pairs_for_display(session, sister_round)


def published_years(session) -> list[int]:
    return list(session.scalars(select(SisterRound.year).where(SisterRound.status == RoundStatus.PUBLISHED)
                                .order_by(SisterRound.year.desc())))


@dataclass
class KemantrenDistance:
    kemantren: str
    kampung: int
    mean_campus_km: float | None
    worst_campus_km: float | None
    mean_company_km: float | None
    worst_company_km: float | None


def kemantren_distances(session, sister_round: SisterRound) -> list[KemantrenDistance]:
    """Mean and worst distance to the campus and the company per kemantren, the farthest-served first
    (so staff see whether a kemantren is served only by far partners)."""
    groups: dict[str, list[SisterPair]] = {}
    for pair in pairs_for_display(session, sister_round):
        groups.setdefault(pair.kampung.kelurahan.kemantren.name, []).append(pair)

    def mean(values):
        return sum(values) / len(values) if values else None

    rows = []
    for name, pairs in groups.items():
        campus = [p.campus_km for p in pairs if p.campus_id is not None]
        company = [p.company_km for p in pairs if p.company_id is not None]
        rows.append(KemantrenDistance(name, len(pairs), mean(campus), max(campus, default=None), mean(company),
                                      max(company, default=None)))
    return sorted(rows, key=lambda r: (-max(r.mean_campus_km or 0, r.mean_company_km or 0), r.kemantren))


def can_edit_kampung_profile(user, kampung: Kampung) -> bool:
    """Staff, or a coordinator of that kampung."""
    return bool(user and user.is_authenticated and (
        user.is_staff or (user.role == Role.COORDINATOR and user.kampung_id == kampung.id)))


def can_edit_partner_profile(user, organisation: Organisation) -> bool:
    """Staff, or a member of that organisation."""
    return bool(user and user.is_authenticated and (
        user.is_staff or (user.role == Role.PARTNER and user.organisation_id == organisation.id)))


def _check_themes(session, codes) -> str:
    known = {c.code for c in categories(session)}
    unknown = sorted(set(codes) - known)
    if unknown:
        raise DomainError(_("Tema tidak dikenal: %(bad)s", bad=", ".join(unknown)), "themes")
    return join_themes(codes)


def update_kampung_profile(session, actor, kampung: Kampung, data: dict) -> KampungSisterProfile:
    """Households, KMS households and themes of a kampung (staff or its coordinator)."""
    if not can_edit_kampung_profile(actor, kampung):
        raise NotAllowed(_("Hanya petugas kota atau koordinator kampung ini yang dapat mengubahnya."))
    households, kms = int(data["households"]), int(data["kms_households"])
    if households < 0 or kms < 0 or kms > households:
        raise DomainError(_("Jumlah KK KMS harus antara 0 dan jumlah KK."), "kms_households")
    profile = session.get(KampungSisterProfile, kampung.id) or KampungSisterProfile(kampung_id=kampung.id)
    session.add(profile)
    before = {"themes": profile.themes} if profile.themes is not None else None
    profile.households, profile.kms_households = households, kms
    profile.themes = _check_themes(session, data.get("themes") or [])
    session.flush()
    # Household counts stay out of the audit trail (it is read more widely than the profile).
    record(session, actor, "sister.kampung_profile", kampung, before=before, after={"themes": profile.themes})
    return profile


def update_partner_profile(session, actor, organisation: Organisation, data: dict) -> PartnerSisterProfile:
    """Capacity, home kelurahan, themes and contact of a campus or company (staff or its members)."""
    if not can_edit_partner_profile(actor, organisation):
        raise NotAllowed(_("Hanya petugas kota atau anggota organisasi ini yang dapat mengubahnya."))
    if organisation.type not in (OrgType.KAMPUS, OrgType.KORPORAT):
        raise DomainError(_("Hanya kampus dan perusahaan yang ikut kampung sister."), "organisation")
    capacity = int(data["capacity"])
    if capacity < 0:
        raise DomainError(_("Tidak boleh negatif."), "capacity")
    if session.get(Kelurahan, data["home_kelurahan"] or "") is None:
        raise DomainError(_("Pilih kelurahan domisili."), "home_kelurahan")
    profile = session.get(PartnerSisterProfile, organisation.id) or PartnerSisterProfile(
        organisation_id=organisation.id)
    session.add(profile)
    profile.capacity, profile.home_kelurahan_code = capacity, data["home_kelurahan"]
    profile.themes = _check_themes(session, data.get("themes") or [])
    profile.contact_name = " ".join((data.get("contact_name") or "").split())
    profile.contact_phone = (data.get("contact_phone") or "").strip()
    session.flush()
    record(session, actor, "sister.partner_profile", organisation, after={
        "capacity": profile.capacity, "home_kelurahan": profile.home_kelurahan_code, "themes": profile.themes})
    return profile


def remove_partner(session, actor, year: int, organisation: Organisation) -> list[SisterPair]:
    """A campus or company leaves after the year was published: its capacity becomes 0 and only the
    kampung it accompanied get a new partner of that kind, from the places the others still have (the
    rest of the pairing stays as published). Returns the affected pairs; those that find no place keep
    an unpaired reason. Coordinators of the affected kampung and members of the new partners are told."""
    from gandeng.notifications.services import notify

    _require_staff(actor)
    sister_round = round_of(session, year)
    if sister_round is None or sister_round.status != RoundStatus.PUBLISHED:
        raise DomainError(_("Pemasangan tahun %(year)d belum diterbitkan: jalankan pemasangan lagi saja.",
                            year=year), "year")
    side = SIDES.get(organisation.type)
    if side is None:
        raise DomainError(_("Hanya kampus dan perusahaan yang ikut kampung sister."), "organisation")
    profile = session.get(PartnerSisterProfile, organisation.id)
    if profile is not None:
        profile.capacity = 0
    column = getattr(SisterPair, f"{side}_id")
    affected = [p for p in pairs_for_display(session, sister_round) if getattr(p, f"{side}_id") == organisation.id]
    if not affected:
        session.flush()
        return []
    for pair in affected:
        for name, value in ((f"{side}_id", None), (f"{side}_km", None), (f"continued_{side}", False),
                            (f"{side}_locked", False), (f"{side}_themes", "")):
            setattr(pair, name, value)
    session.flush()
    load = dict(session.execute(select(column, func.count()).where(
        SisterPair.round_id == sister_round.id, column.is_not(None)).group_by(column)).all())
    kampung_all, partners_all = _inputs(session)
    wanted = {p.kampung_id for p in affected}
    kampung = [k for k in kampung_all if k.id in wanted]
    missing = wanted - {k.id for k in kampung}  # no longer verified: stays without a partner
    partners = [solver.SisterPartner(p.id, p.kind, p.kelurahan_code, max(0, p.capacity - load.get(p.id, 0)),
                                     p.themes)
                for p in partners_all if p.kind == organisation.type and p.id != organisation.id]
    geography = city_geography(session)

    def distance_km(a, b):
        return float(geography.distance_km[geography.index[a], geography.index[b]])

    result = solver.pair(kampung, partners, distance_km, previous=_previous_partners(session, year))
    result_side = result.sides[organisation.type]
    link = f"/public/sister?year={year}"
    for pair in affected:
        others = [code for code in split_themes(pair.unpaired_reason) if not code.startswith(f"{organisation.type}:")]
        assignment = result_side.assignments.get(pair.kampung_id)
        if assignment is None:
            why = solver.SHORT_CAPACITY if pair.kampung_id not in missing else solver.NO_PARTNER
            why = result_side.unpaired.get(pair.kampung_id, why)
            pair.unpaired_reason = ";".join(others + [f"{organisation.type}:{why}"])
            continue
        pair.unpaired_reason = ";".join(others)
        setattr(pair, f"{side}_id", assignment.partner_id)
        setattr(pair, f"{side}_km", assignment.km)
        setattr(pair, f"continued_{side}", assignment.continued)
        setattr(pair, f"{side}_themes", join_themes(assignment.shared_themes))
        session.flush()
        new_partner = session.get(Organisation, assignment.partner_id)
        message = _l("Pasangan sister %(year)d diperbarui: %(kampung)s kini bersama %(partner)s.", year=year,
                     kampung=pair.kampung.name, partner=new_partner.name)
        users = session.scalars(select(User).where(
            ((User.role == Role.COORDINATOR) & (User.kampung_id == pair.kampung_id))
            | ((User.role == Role.PARTNER) & (User.organisation_id == new_partner.id)))).all()
        notify(session, users, "sister_changed", message, link)
    session.flush()
    record(session, actor, "sister.remove_partner", sister_round, note=organisation.name,
           after={"re_paired": sum(1 for p in affected if getattr(p, f"{side}_id")), "affected": len(affected)})
    for pair in affected:
        session.expire(pair)  # the campus/company relationships follow the new ids
    return affected
