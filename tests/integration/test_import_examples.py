"""The sample files in examples/ import cleanly, as the README promises."""
from pathlib import Path

from sqlalchemy import func, select

from gandeng.needs.models import Need, NeedStatus
from gandeng.offers.models import Offer, OfferStatus

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_example_needs_and_offers_import_cleanly(runner, session):
    needs = runner.invoke(args=["import", "needs", str(EXAMPLES / "needs.csv")])
    offers = runner.invoke(args=["import", "offers", str(EXAMPLES / "offers.csv")])
    assert needs.exit_code == 0, needs.output
    assert offers.exit_code == 0, offers.output
    assert session.scalar(select(func.count(Need.id)).where(Need.status == NeedStatus.VERIFIED)) >= 10
    assert session.scalar(select(func.count(Offer.id)).where(Offer.status == OfferStatus.ACTIVE)) >= 10
    categories = set(session.scalars(select(Need.category_code).distinct()))
    assert len(categories) == 10  # the sample needs cover every category


def test_importing_an_example_twice_is_refused_without_changes(runner, session):
    assert runner.invoke(args=["import", "needs", str(EXAMPLES / "needs.csv")]).exit_code == 0
    again = runner.invoke(args=["import", "needs", str(EXAMPLES / "needs.csv")])
    assert again.exit_code != 0
    assert "sudah ada di basis data" in again.stderr
    assert session.scalar(select(func.count(Need.id))) == 10
