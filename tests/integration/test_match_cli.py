"""`flask match run` and `flask match export FILE` (JSON and CSV with the contract's fields)."""
import csv
import json

from sqlalchemy import select

from gandeng.matching import render_id

from gandeng.proposals.models import MatchingRun, Proposal, ProposalStatus, RunStatus
from tests import factories as f

CONTRACT_FIELDS = ["id", "run_id", "need_id", "need_ref", "offer_id", "offer_ref", "amount_rp", "score",
                   "breakdown", "reasons", "status"]
# The contract's five parts, then the entries issue 13 added (breakdown keys may gain entries).
PARTS = ["text", "category", "geography", "urgency", "poverty", "severity", "kind"]


def _data(session):
    kampung = f.make_kampung(session, "Kampung Jetisharjo", "34.71.01.1001")
    need = f.make_need(session, kampung=kampung, cost_rp=12_000_000, title="Kakus dan septictank",
                       description="Empat keluarga belum punya kakus sehat dan septictank.")
    need.ref = "KB-001"
    offer = f.make_offer(session, title="CSR jamban sehat", capacity_rp=40_000_000,
                         description="Pembangunan jamban sehat dan tangki septik.")
    offer.ref = "PN-001"
    session.commit()
    return need, offer


def test_match_run_prints_counts_rp_and_seconds(app, session, runner):
    _data(session)
    result = runner.invoke(args=["match", "run"])
    assert result.exit_code == 0, result.output
    assert "1 needs, 1 offers" in result.output and "1 proposals" in result.output
    assert "Rp12.000.000 proposed" in result.output and result.output.rstrip().endswith(" s")
    run = session.scalar(select(MatchingRun))
    assert run.status == RunStatus.DONE and run.started_by_id is None


def test_match_run_with_nothing_open_succeeds_with_zero_proposals(app, session, runner):
    result = runner.invoke(args=["match", "run"])
    assert result.exit_code == 0, result.output
    assert "0 proposals" in result.output


def test_export_json_has_exactly_the_contract_fields(app, session, runner, tmp_path):
    need, offer = _data(session)
    assert runner.invoke(args=["match", "run"]).exit_code == 0
    out = tmp_path / "usulan.json"
    result = runner.invoke(args=["match", "export", str(out)])
    assert result.exit_code == 0, result.output
    [item] = json.loads(out.read_text("utf-8"))
    assert list(item) == CONTRACT_FIELDS
    assert (item["need_id"], item["need_ref"], item["offer_id"], item["offer_ref"]) == (need.id, "KB-001", offer.id, "PN-001")
    assert item["amount_rp"] == 12_000_000 and item["status"] == "proposed"
    assert list(item["breakdown"]) == PARTS and all(0 <= v <= 1 for v in item["breakdown"].values())
    assert 0 < item["score"] <= 1
    assert item["reasons"] and all(isinstance(r, str) for r in item["reasons"])


def test_export_csv_flattens_breakdown_and_joins_reasons(app, session, runner, tmp_path):
    _data(session)
    assert runner.invoke(args=["match", "run"]).exit_code == 0
    out = tmp_path / "usulan.csv"
    result = runner.invoke(args=["match", "export", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        header = reader.fieldnames
    assert header == ["id", "run_id", "need_id", "need_ref", "offer_id", "offer_ref", "amount_rp", "score",
                      *[f"breakdown_{p}" for p in PARTS], "reasons", "status"]
    [row] = rows
    proposal = session.scalar(select(Proposal))
    assert row["reasons"] == " | ".join(render_id(r) for r in proposal.reasons)
    assert float(row["breakdown_text"]) == proposal.breakdown["text"]
    assert row["amount_rp"] == "12000000" and row["status"] == "proposed"


def test_export_leaves_out_decided_proposals(app, session, runner, tmp_path):
    _data(session)
    f.make_need(session, cost_rp=5_000_000, title="Septictank komunal RT 02",
                description="Kakus warga RT 02 butuh septictank komunal.")
    session.commit()
    assert runner.invoke(args=["match", "run"]).exit_code == 0
    first = session.scalars(select(Proposal).order_by(Proposal.id)).first()
    first.status = ProposalStatus.REJECTED
    session.commit()
    out = tmp_path / "usulan.json"
    assert runner.invoke(args=["match", "export", str(out)]).exit_code == 0
    ids = [item["id"] for item in json.loads(out.read_text("utf-8"))]
    assert first.id not in ids and len(ids) == 1


def test_export_refuses_other_file_types(app, session, runner, tmp_path):
    result = runner.invoke(args=["match", "export", str(tmp_path / "usulan.xlsx")])
    assert result.exit_code != 0
    assert "use a .json or .csv" in result.output


def test_export_without_a_finished_run_fails_with_a_reason(app, session, runner, tmp_path):
    result = runner.invoke(args=["match", "export", str(tmp_path / "usulan.json")])
    assert result.exit_code != 0
    assert "no finished matching run" in result.output
