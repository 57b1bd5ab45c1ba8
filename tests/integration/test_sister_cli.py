"""`flask sister pair --year` keeps the year's draft; `flask sister export --year FILE` writes the contract's CSV."""
import csv

from sqlalchemy import func, select

from gandeng.sister.models import RoundStatus, SisterPair, SisterRound
from gandeng.sister.services import run_pairing
from tests import factories as f

KRICAK, TERBAN, PRENGGAN = "34.71.01.1001", "34.71.03.1005", "34.71.14.1002"


def small_city(session):
    """Three kampung (two north, one in Kotagede), two campuses, one company short of capacity."""
    kampung = {
        "Kricak Kidul": f.make_sister_kampung(session, "Kricak Kidul", KRICAK, themes=["sanitation", "health"]),
        "Terban Lor": f.make_sister_kampung(session, "Terban Lor", TERBAN, themes=["education"]),
        "Prenggan Wetan": f.make_sister_kampung(session, "Prenggan Wetan", PRENGGAN, themes=["livelihood"]),
    }
    partners = {
        "UGM": f.make_sister_partner(session, "UGM", "kampus", TERBAN, 2, ["education", "health"]),
        "UAD": f.make_sister_partner(session, "UAD", "kampus", PRENGGAN, 2, ["livelihood"]),
        "PT Jogja": f.make_sister_partner(session, "PT Jogja", "korporat", KRICAK, 2, ["sanitation"]),
    }
    session.commit()
    return kampung, partners


def pair_run(runner, year=2027, *extra):
    return runner.invoke(args=["sister", "pair", "--year", str(year), *extra])


def test_pair_stores_a_draft_and_prints_counts_distances_load_and_seconds(runner, session):
    kampung, partners = small_city(session)
    result = pair_run(runner)
    assert result.exit_code == 0, result.output
    assert "draft with 3 kampung, 2 with a campus and a company, 0 without a campus, 1 without a company" \
        in result.stdout
    assert "mean distance: campus" in result.stdout and "largest load:" in result.stdout
    assert "solved in" in result.stdout and "farthest-served kemantren: " in result.stdout
    session.expire_all()
    sister_round = session.scalar(select(SisterRound))
    assert sister_round.year == 2027 and sister_round.status == RoundStatus.DRAFT
    pairs = {p.kampung.name: p for p in sister_round.pairs}
    assert pairs["Prenggan Wetan"].campus_id == partners["UAD"].id
    assert pairs["Prenggan Wetan"].company_id is None  # the farthest kampung from the only company
    assert pairs["Prenggan Wetan"].unpaired_reason == "korporat:short_capacity"
    assert pairs["Kricak Kidul"].company_id == partners["PT Jogja"].id
    assert pairs["Terban Lor"].shared_themes == "education"


def test_a_new_run_replaces_the_draft_but_keeps_locked_pairs(runner, session):
    kampung, partners = small_city(session)
    assert pair_run(runner).exit_code == 0
    session.expire_all()
    pair = session.scalar(select(SisterPair).where(SisterPair.kampung_id == kampung["Prenggan Wetan"].id))
    pair.campus_id, pair.campus_locked = partners["UGM"].id, True
    session.commit()
    assert pair_run(runner).exit_code == 0
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(SisterRound)) == 1
    assert session.scalar(select(func.count()).select_from(SisterPair)) == 3
    pair = session.scalar(select(SisterPair).where(SisterPair.kampung_id == kampung["Prenggan Wetan"].id))
    assert pair.campus_id == partners["UGM"].id and pair.campus_locked


def test_a_published_year_is_never_replaced(runner, session):
    small_city(session)
    assert pair_run(runner).exit_code == 0
    session.expire_all()
    session.scalar(select(SisterRound)).status = RoundStatus.PUBLISHED
    session.commit()
    result = pair_run(runner)
    assert result.exit_code == 1
    assert "sudah diterbitkan" in result.stderr


def test_a_lock_beyond_capacity_is_refused_with_a_message_and_the_draft_is_kept(runner, session):
    kampung, partners = small_city(session)
    assert pair_run(runner).exit_code == 0
    session.expire_all()
    for pair in session.scalars(select(SisterPair)):
        pair.company_id, pair.company_locked = partners["PT Jogja"].id, True
    session.commit()
    result = pair_run(runner)
    assert result.exit_code == 1
    assert "melebihi kapasitas PT Jogja" in result.stderr
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(SisterPair)) == 3


def test_no_verified_kampung_is_a_clear_refusal(runner, session):
    f.make_sister_partner(session, "UGM", "kampus", TERBAN, 2)
    session.commit()
    result = pair_run(runner)
    assert result.exit_code == 1 and "Belum ada kampung terverifikasi" in result.stderr


def test_partners_without_home_base_are_named_as_left_out(runner, session):
    small_city(session)
    partner = f.make_sister_partner(session, "Institut Tanpa Alamat", "kampus", None, 5)
    session.commit()
    result = pair_run(runner)
    assert result.exit_code == 0, result.output
    assert "left out: Institut Tanpa Alamat (no home kelurahan)" in result.stdout
    assert partner.id not in {p.campus_id for p in session.scalars(select(SisterPair))}


def test_last_years_published_partner_is_continued(runner, session):
    kampung, partners = small_city(session)
    previous, _skipped = run_pairing(session, None, 2026)
    previous.status = RoundStatus.PUBLISHED
    terban = next(p for p in previous.pairs if p.kampung_id == kampung["Terban Lor"].id)
    assert terban.campus_id == partners["UGM"].id
    session.commit()
    assert pair_run(runner).exit_code == 0
    session.expire_all()
    pair = session.scalar(select(SisterPair).join(SisterRound).where(
        SisterRound.year == 2027, SisterPair.kampung_id == kampung["Terban Lor"].id))
    assert pair.campus_id == partners["UGM"].id and pair.continued_campus


def test_export_writes_one_row_per_kampung_with_the_contract_columns(runner, session, tmp_path):
    small_city(session)
    assert pair_run(runner).exit_code == 0
    path = tmp_path / "pairs.csv"
    result = runner.invoke(args=["sister", "export", "--year", "2027", str(path)])
    assert result.exit_code == 0, result.output
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == ["kampung", "kelurahan", "kemantren", "campus", "company", "campus_km",
                                 "company_km", "shared_themes", "continued"]
    assert [r["kampung"] for r in rows][0] == "Prenggan Wetan"  # unpaired first
    terban = next(r for r in rows if r["kampung"] == "Terban Lor")
    assert terban["campus"] == "UGM" and terban["campus_km"] == "0.0" and terban["company"] == "PT Jogja"
    assert terban["kemantren"] == "Gondokusuman" and terban["shared_themes"] == "education"
    assert terban["continued"] == "tidak"
    assert rows[0]["company"] == "" and rows[0]["company_km"] == ""


def test_export_of_a_year_without_pairing_fails_clearly(runner, tmp_path):
    result = runner.invoke(args=["sister", "export", "--year", "2030", str(tmp_path / "x.csv")])
    assert result.exit_code == 1 and "no pairing for 2030" in result.stderr


def test_distances_per_kemantren_show_the_farthest_served_first(runner, session):
    from gandeng.sister.services import kemantren_distances

    small_city(session)
    sister_round, _skipped = run_pairing(session, None, 2027)
    rows = {r.kemantren: r for r in kemantren_distances(session, sister_round)}
    assert set(rows) == {"Tegalrejo", "Gondokusuman", "Kotagede"}
    assert rows["Kotagede"].mean_company_km is None and rows["Kotagede"].worst_campus_km == 0.0
    assert rows["Tegalrejo"].worst_campus_km > 1.0 and rows["Tegalrejo"].worst_company_km == 0.0
    first = kemantren_distances(session, sister_round)[0]
    assert max(first.mean_campus_km or 0, first.mean_company_km or 0) >= 1.0


def test_a_partner_leaving_after_publishing_re_pairs_only_its_kampung(runner, session):
    from gandeng.notifications.models import Notification
    from gandeng.sister.models import PartnerSisterProfile

    kampung, partners = small_city(session)
    sister_round, _skipped = run_pairing(session, None, 2027)
    sister_round.status = RoundStatus.PUBLISHED
    coordinator = f.make_coordinator(session, kampung=kampung["Terban Lor"])
    session.commit()
    before = {p.kampung_id: (p.campus_id, p.company_id) for p in sister_round.pairs}
    assert before[kampung["Terban Lor"].id][0] == partners["UGM"].id
    result = runner.invoke(args=["sister", "remove-partner", "--year", "2027", "ugm"])
    assert result.exit_code == 0, result.output
    assert "UGM removed from 2027 (capacity 0); 2 kampung re-paired" in result.stdout
    assert "Terban Lor: UAD" in result.stdout
    session.expire_all()
    after = {p.kampung_id: (p.campus_id, p.company_id) for p in session.scalars(select(SisterPair))}
    assert after[kampung["Prenggan Wetan"].id] == before[kampung["Prenggan Wetan"].id]  # untouched
    # UAD has one place left (Prenggan holds the other): the nearer Terban gets it, Kricak waits
    assert after[kampung["Terban Lor"].id][0] == partners["UAD"].id
    assert after[kampung["Kricak Kidul"].id][0] is None
    assert "Kricak Kidul: unpaired" in result.stdout
    assert all(after[k][1] == before[k][1] for k in after)  # companies untouched
    kricak = session.scalar(select(SisterPair).where(SisterPair.kampung_id == kampung["Kricak Kidul"].id))
    assert kricak.unpaired_reason == "kampus:short_capacity"
    assert session.get(PartnerSisterProfile, partners["UGM"].id).capacity == 0
    told = session.scalars(select(Notification).where(Notification.kind == "sister_changed")).all()
    assert [n.message for n in told if n.user_id == coordinator.id] == [
        "Pasangan sister 2027 diperbarui: Terban Lor kini bersama UAD."]


def test_removing_a_partner_from_a_draft_year_is_refused(runner, session):
    small_city(session)
    assert pair_run(runner).exit_code == 0
    result = runner.invoke(args=["sister", "remove-partner", "--year", "2027", "UGM"])
    assert result.exit_code == 1 and "belum diterbitkan" in result.stderr
