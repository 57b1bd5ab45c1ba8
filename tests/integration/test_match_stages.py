"""A matching run records and `flask match run` prints where its time went: loading the rows, the
engine, storing the proposals (for checks at city and national scale)."""
import gc

from sqlalchemy import select

from gandeng.proposals.models import MatchingRun
from gandeng.proposals.runs import paused_gc
from tests import factories as f


def test_match_run_records_and_prints_its_stages(app, session, runner):
    f.make_need(session, cost_rp=12_000_000, title="Kakus dan septictank")
    f.make_offer(session, title="CSR jamban sehat", capacity_rp=40_000_000)
    session.commit()
    result = runner.invoke(args=["match", "run"])
    assert result.exit_code == 0, result.output
    assert "stages: loading " in result.output and "storing " in result.output
    run = session.scalar(select(MatchingRun))
    stages = run.counts["stage_seconds"]
    assert list(stages) == ["loading", "matching", "storing"]
    assert run.duration_s >= sum(stages.values()) - 0.01


def test_collection_is_paused_only_inside_and_restored_after_an_error():
    assert gc.isenabled()
    try:
        with paused_gc():
            assert not gc.isenabled()
            raise RuntimeError("storing failed")
    except RuntimeError:
        pass
    assert gc.isenabled()
