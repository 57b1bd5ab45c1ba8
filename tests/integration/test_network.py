"""The collaboration network on a small known graph: degrees, ranking, unreached kampung and kelurahan."""
from datetime import datetime

import pytest

from gandeng.reports import network
from gandeng.reports.periods import Period
from tests import factories as f

KRICAK, KARANGWARU, PRINGGOKUSUMAN = "34.71.01.1001", "34.71.01.1002", "34.71.05.1002"


@pytest.fixture
def world(session):
    """Kampung A, B (Kricak), C, F (Karangwaru) in Tegalrejo; D and unverified E (Pringgokusuman)
    in Gedongtengen. Collaborations that count:
      Bank      -> A Rp3.000.000 (awaiting), B Rp2.000.000 (completed), C Rp1.000.000 (in progress)
      Kampus    -> A Rp5.000.000 and Rp4.000.000 (awaiting; one approved in 2025)
      Komunitas -> D Rp500.000 (cancelled after Rp500.000 of Rp1.000.000 was realised)
    and that do not: Kampus -> D Rp7.000.000 declined; Yayasan -> F cancelled with nothing realised."""
    kampung = {
        "A": f.make_kampung(session, "Kampung Anggrek", KRICAK),
        "B": f.make_kampung(session, "Kampung Bougenvil", KRICAK),
        "C": f.make_kampung(session, "Kampung Cempaka", KARANGWARU),
        "F": f.make_kampung(session, "Kampung Flamboyan", KARANGWARU),
        "D": f.make_kampung(session, "Kampung Dahlia", PRINGGOKUSUMAN),
        "E": f.make_kampung(session, "Kampung Edelweis", PRINGGOKUSUMAN, verified=False),
    }
    orgs = {
        "bank": f.make_organisation(session, "PT Bank Contoh", "korporat"),
        "campus": f.make_organisation(session, "Universitas Contoh", "kampus"),
        "community": f.make_organisation(session, "Komunitas Peduli", "komunitas"),
        "foundation": f.make_organisation(session, "Yayasan Sepi", "komunitas"),
    }
    offers = {name: f.make_offer(session, organisation=org, capacity_rp=100_000_000) for name, org in orgs.items()}
    staff = f.make_staff(session)

    def collab(org, place, amount, status="awaiting_partner"):
        need = f.make_need(session, kampung=kampung[place], cost_rp=20_000_000)
        made = f.make_collaboration(session, need, offers[org], amount, staff=staff,
                                    status="completed" if status == "completed" else "awaiting_partner")
        made.created_at = datetime(2026, 2, 1, 3, 0)
        if status not in ("completed", "awaiting_partner"):
            made.status = status
        return made

    collab("bank", "A", 3_000_000)
    collab("bank", "B", 2_000_000, "completed")
    collab("bank", "C", 1_000_000, "in_progress")
    collab("campus", "A", 5_000_000)
    collab("campus", "A", 4_000_000).created_at = datetime(2025, 12, 31, 16, 59)  # 23.59 WIB, still 2025
    collab("campus", "D", 7_000_000, "declined")
    collab("community", "D", 1_000_000, "cancelled").realised_rp = 500_000
    collab("foundation", "F", 1_000_000, "cancelled")
    session.commit()
    return {"kampung": kampung, "orgs": orgs}


def test_partners_ranked_by_distinct_kampung_then_rupiah(session, world):
    ranking = network.partners(network.build_graph(session))
    assert [(p.rank, p.name, p.kampung, p.kelurahan, p.kemantren, p.collaborations, p.amount_rp) for p in ranking] == [
        (1, "PT Bank Contoh", 3, 2, 1, 3, 6_000_000),
        (2, "Universitas Contoh", 1, 1, 1, 2, 9_000_000),  # the declined Rp7.000.000 in Dahlia is no edge
        (3, "Komunitas Peduli", 1, 1, 1, 1, 500_000),       # cancelled: only the realised part counts
    ]
    # the foundation's only collaboration was cancelled with nothing realised: not a partner here


def test_graph_has_weighted_organisation_kampung_edges_and_membership(session, world):
    graph = network.build_graph(session)
    kampung, orgs = world["kampung"], world["orgs"]
    edge = graph.edges[("org", orgs["campus"].id), ("kampung", kampung["A"].id)]
    assert (edge["collaborations"], edge["rp"]) == (2, 9_000_000)
    assert graph.has_edge(("kampung", kampung["A"].id), ("kelurahan", KRICAK))
    assert graph.degree(("kampung", kampung["A"].id)) == 3  # Bank, Kampus and its kelurahan
    assert ("kampung", kampung["E"].id) not in graph  # unverified and unreached
    assert sum(1 for _, kind in graph.nodes(data="kind") if kind == "kelurahan") == 45


def test_unreached_kampung_are_verified_ones_without_a_counting_collaboration(session, world):
    groups = network.unreached_kampung(network.build_graph(session))
    # Flamboyan's only collaboration was cancelled with nothing realised; Edelweis is not verified
    assert [(g.kemantren, g.kelurahan, g.names) for g in groups] == [
        ("Tegalrejo", "Karangwaru", ["Kampung Flamboyan"])]


def test_unreached_kelurahan_are_those_where_no_kampung_has_a_partner(session, world):
    groups = network.unreached_kelurahan(network.build_graph(session))
    by_kemantren = {g.kemantren: g.names for g in groups}
    assert sum(len(names) for names in by_kemantren.values()) == 45 - 3
    assert by_kemantren["Tegalrejo"] == ["Bener", "Tegalrejo"]  # Kricak and Karangwaru are reached
    assert by_kemantren["Gedongtengen"] == ["Sosromenduran"]     # Pringgokusuman through Dahlia
    assert len(by_kemantren["Umbulharjo"]) == 7


def test_report_counts_and_links_grouped_by_organisation(session, world):
    report = network.network_report(session)
    assert (report.kampung_reached, report.kampung_verified) == (4, 5)
    assert (report.kelurahan_reached, report.kelurahan_total) == (3, 45)
    assert (report.unreached_kampung_count, report.unreached_kelurahan_count) == (1, 42)
    grouped = [(p.name, [(l.kampung, l.kelurahan, l.collaborations, l.amount_rp) for l in links])
               for p, links in report.links_by_organisation()]
    assert grouped == [
        ("PT Bank Contoh", [("Kampung Cempaka", "Karangwaru", 1, 1_000_000),
                            ("Kampung Anggrek", "Kricak", 1, 3_000_000),
                            ("Kampung Bougenvil", "Kricak", 1, 2_000_000)]),
        ("Universitas Contoh", [("Kampung Anggrek", "Kricak", 2, 9_000_000)]),
        ("Komunitas Peduli", [("Kampung Dahlia", "Pringgokusuman", 1, 500_000)]),
    ]


def test_year_keeps_only_collaborations_approved_that_year_in_wib(session, world):
    ranking = network.partners(network.build_graph(session, Period(2025)))
    assert [(p.name, p.collaborations, p.amount_rp) for p in ranking] == [("Universitas Contoh", 1, 4_000_000)]
    report = network.network_report(session, Period(2026))
    assert [(p.name, p.amount_rp) for p in report.partners][1] == ("Universitas Contoh", 5_000_000)
    # in 2024 nobody worked anywhere: every verified kampung is unreached
    assert network.network_report(session, Period(2024)).unreached_kampung_count == 5
