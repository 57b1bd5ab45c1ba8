"""The collaboration network: which organisations work in which kampung, as a networkx graph.

Nodes are organisations ("org", id), kampung ("kampung", id) and kelurahan ("kelurahan", code).
An organisation–kampung edge stands for the collaborations between them that count (the rule of
collaborations.queries.COUNTED_RP: awaiting the partner, in progress or completed, or cancelled
after some money was realised; declined ones never count), weighted by their number and by the
Rupiah they hold. Each kampung is tied to its kelurahan. Three queries build the graph;
the figures are read from it in Python (a city has ~100 partners and ~170 kampung)."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_, select

from gandeng.accounts.models import Kampung, Organisation
from gandeng.collaborations.models import HOLDING_STATUSES, Commitment, CommitmentStatus
from gandeng.collaborations.queries import COUNTED_RP
from gandeng.needs.models import Need
from gandeng.offers.models import Offer
from gandeng.reference.models import Kelurahan, Kemantren
from gandeng.reports.periods import Period

if TYPE_CHECKING:
    import networkx as nx

# Collaborations that make an edge.
COUNTS = or_(
    Commitment.status.in_(HOLDING_STATUSES),
    and_(Commitment.status == CommitmentStatus.CANCELLED, Commitment.realised_rp > 0),
)

EDGE_HEADER = ("organisation_id", "organisation", "organisation_type", "kampung_id", "kampung",
               "kelurahan_code", "kelurahan", "kemantren", "collaborations", "amount_rp")


def build_graph(session, period: Period = Period()) -> nx.Graph:
    """The graph of the collaborations approved in `period` (all time by default); every kelurahan
    and every verified kampung is a node, reached or not."""
    edges = (
        select(Organisation.id, Organisation.name, Organisation.type, Need.kampung_id.label("kampung_id"),
               func.count(Commitment.id), func.coalesce(func.sum(COUNTED_RP), 0))
        .select_from(Commitment)
        .join(Need, Need.id == Commitment.need_id)
        .join(Offer, Offer.id == Commitment.offer_id)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .where(COUNTS, period.holds(Commitment.created_at))
        .group_by(Organisation.id, Organisation.name, Organisation.type, Need.kampung_id)
    )
    edge_rows = session.execute(edges).all()
    import networkx as nx  # lazy: only this report needs it, not every start of the app

    graph = nx.Graph()
    for code, name, kemantren_code, kemantren in session.execute(
        select(Kelurahan.code, Kelurahan.name, Kemantren.code, Kemantren.name)
        .join(Kemantren, Kemantren.code == Kelurahan.kemantren_code)
    ):
        graph.add_node(("kelurahan", code), kind="kelurahan", name=name, kemantren_code=kemantren_code,
                       kemantren=kemantren)
    # Every verified kampung (reached or not) and any other kampung that has an edge.
    with_edge = select(edges.subquery().c.kampung_id)
    for kampung_id, name, kelurahan_code, verified_at in session.execute(
        select(Kampung.id, Kampung.name, Kampung.kelurahan_code, Kampung.verified_at)
        .where(or_(Kampung.verified_at.is_not(None), Kampung.id.in_(with_edge)))
    ):
        node = ("kampung", kampung_id)
        graph.add_node(node, kind="kampung", name=name, verified=verified_at is not None)
        graph.add_edge(node, ("kelurahan", kelurahan_code), kind="part_of")
    for org_id, name, org_type, kampung_id, count, rupiah in edge_rows:
        graph.add_node(("org", org_id), kind="organisation", name=name, org_type=org_type)
        graph.add_edge(("org", org_id), ("kampung", kampung_id), kind="works_in",
                       collaborations=int(count), rp=int(rupiah))
    return graph


# --- reading the graph --------------------------------------------------------------------------

@dataclass
class Partner:
    """One organisation's reach: distinct kampung (its degree), kelurahan and kemantren, and money."""

    organisation_id: int
    name: str
    org_type: str
    kampung: int
    kelurahan: int
    kemantren: int
    collaborations: int
    amount_rp: int
    rank: int = 0


@dataclass
class Link:
    """One organisation–kampung edge with the kampung's place."""

    organisation_id: int
    organisation: str
    org_type: str
    kampung_id: int
    kampung: str
    kelurahan_code: str
    kelurahan: str
    kemantren: str
    collaborations: int
    amount_rp: int

    def row(self) -> tuple:
        return (self.organisation_id, self.organisation, self.org_type, self.kampung_id, self.kampung,
                self.kelurahan_code, self.kelurahan, self.kemantren, self.collaborations, self.amount_rp)


@dataclass
class Group:
    """Places without a partner, under one heading (a kelurahan or a kemantren)."""

    kemantren: str
    kelurahan: str  # empty when grouped by kemantren only
    names: list[str] = field(default_factory=list)


def _kelurahan_of(graph, kampung_node):
    return next(n for n in graph[kampung_node] if n[0] == "kelurahan")


def _orgs(graph):
    return [n for n, kind in graph.nodes(data="kind") if kind == "organisation"]


def _has_partner(graph, kampung_node) -> bool:
    return any(n[0] == "org" for n in graph[kampung_node])


def links(graph) -> list[Link]:
    """Every organisation–kampung edge, by organisation name then kemantren, kelurahan and kampung."""
    found = []
    for org in _orgs(graph):
        for kampung in graph[org]:
            kelurahan = _kelurahan_of(graph, kampung)
            edge, place = graph.edges[org, kampung], graph.nodes[kelurahan]
            found.append(Link(org[1], graph.nodes[org]["name"], graph.nodes[org]["org_type"], kampung[1],
                              graph.nodes[kampung]["name"], kelurahan[1], place["name"], place["kemantren"],
                              edge["collaborations"], edge["rp"]))
    return sorted(found, key=lambda l: (l.organisation.lower(), l.organisation_id, l.kemantren, l.kelurahan,
                                        l.kampung.lower()))


def partners(graph) -> list[Partner]:
    """Organisations ranked by distinct kampung reached (degree), then by Rupiah (weighted degree)."""
    found = []
    for org in _orgs(graph):
        places = [_kelurahan_of(graph, kampung) for kampung in graph[org]]
        found.append(Partner(
            organisation_id=org[1], name=graph.nodes[org]["name"], org_type=graph.nodes[org]["org_type"],
            kampung=graph.degree(org), kelurahan=len(set(places)),
            kemantren=len({graph.nodes[p]["kemantren_code"] for p in places}),
            collaborations=int(graph.degree(org, weight="collaborations")),
            amount_rp=int(graph.degree(org, weight="rp")),
        ))
    found.sort(key=lambda p: (-p.kampung, -p.amount_rp, p.name.lower(), p.organisation_id))
    for rank, partner in enumerate(found, start=1):
        partner.rank = rank
    return found


def unreached_kampung(graph) -> list[Group]:
    """Verified kampung that no organisation works with, grouped by kemantren and kelurahan."""
    rows = []
    for node, data in graph.nodes(data=True):
        if data["kind"] == "kampung" and data["verified"] and not _has_partner(graph, node):
            place = graph.nodes[_kelurahan_of(graph, node)]
            rows.append((place["kemantren"], place["name"], data["name"]))
    rows.sort(key=lambda r: (r[0], r[1], r[2].lower()))
    return [Group(kemantren, kelurahan, [r[2] for r in group])
            for (kemantren, kelurahan), group in groupby(rows, key=lambda r: (r[0], r[1]))]


def unreached_kelurahan(graph) -> list[Group]:
    """Kelurahan where no organisation works in any kampung, grouped by kemantren."""
    rows = sorted(
        (data["kemantren"], data["name"]) for node, data in graph.nodes(data=True)
        if data["kind"] == "kelurahan" and not any(_has_partner(graph, k) for k in graph[node])
    )
    return [Group(kemantren, "", [r[1] for r in group]) for kemantren, group in groupby(rows, key=lambda r: r[0])]


@dataclass
class NetworkReport:
    partners: list[Partner]
    links: list[Link]
    unreached_kampung: list[Group]
    unreached_kelurahan: list[Group]
    kampung_reached: int
    kampung_verified: int
    kelurahan_reached: int
    kelurahan_total: int

    @property
    def unreached_kampung_count(self) -> int:
        return sum(len(g.names) for g in self.unreached_kampung)

    @property
    def unreached_kelurahan_count(self) -> int:
        return sum(len(g.names) for g in self.unreached_kelurahan)

    def links_by_organisation(self) -> list[tuple[Partner, list[Link]]]:
        """Each ranked partner with its kampung (for the table grouped by organisation)."""
        by_org: dict[int, list[Link]] = {}
        for link in self.links:
            by_org.setdefault(link.organisation_id, []).append(link)
        return [(p, by_org.get(p.organisation_id, [])) for p in self.partners]


def network_report(session, period: Period = Period()) -> NetworkReport:
    """Everything the /network page shows, for collaborations approved in `period`."""
    graph = build_graph(session, period)
    kampung = [(n, d) for n, d in graph.nodes(data=True) if d["kind"] == "kampung"]
    kelurahan = [n for n, kind in graph.nodes(data="kind") if kind == "kelurahan"]
    return NetworkReport(
        partners=partners(graph),
        links=links(graph),
        unreached_kampung=unreached_kampung(graph),
        unreached_kelurahan=unreached_kelurahan(graph),
        kampung_reached=sum(1 for n, d in kampung if d["verified"] and _has_partner(graph, n)),
        kampung_verified=sum(1 for _, d in kampung if d["verified"]),
        kelurahan_reached=sum(1 for n in kelurahan if any(_has_partner(graph, k) for k in graph[n])),
        kelurahan_total=len(kelurahan),
    )
