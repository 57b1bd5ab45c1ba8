"""The cards of the list of needs, as display values computed in one pass.

A card shows a dozen values (status and its colour, urgency, category, kampung, kelurahan,
kemantren, three Rupiah amounts, the deadline). Rendered through a macro per card and a filter or
a relationship per value, twenty cards were a good part of the cost of an uncached list page;
here each is a plain tuple of strings, names taken from the reference snapshot
(gandeng/reference/snapshot.py) and formatting done once per distinct value.
"""
from dataclasses import dataclass

from flask import url_for

from gandeng import labels
from gandeng.formatting import long_date, rupiah


@dataclass(frozen=True)
class NeedCard:
    id: int
    url: str
    title: str
    status_label: str
    status_colour: str
    urgency: str
    urgency_label: str
    category_label: str
    kampung: str
    kelurahan: str
    kemantren: str
    cost: str
    committed: str
    remaining: str
    deadline: str


def need_cards(page, reference, locale: str) -> list[NeedCard]:
    """One card per need of `page` (a NeedPage whose needs have their kampung loaded)."""
    status_labels = {code: str(label) for code, label in labels.NEED_STATUS.items()}
    urgency_labels = {code: str(label) for code, label in labels.URGENCY.items()}
    days: dict = {}
    cards = []
    for need in page.items:
        place = reference.kelurahan.get(need.kelurahan_code)
        category = reference.category.get(need.category_code)
        committed = page.committed_rp(need)
        if need.deadline not in days:
            days[need.deadline] = long_date(need.deadline, locale)
        cards.append(NeedCard(
            id=need.id, url=url_for("needs.show", need_id=need.id), title=need.title,
            status_label=status_labels.get(need.status, need.status),
            status_colour=labels.STATUS_COLOUR.get(need.status, "secondary"),
            urgency=need.urgency, urgency_label=urgency_labels.get(need.urgency, need.urgency),
            category_label=category.label(locale) if category else need.category_code,
            kampung=need.kampung.name if need.kampung else "",
            kelurahan=place.name if place else need.kelurahan_code,
            kemantren=place.kemantren_name if place else "",
            cost=rupiah(need.cost_rp), committed=rupiah(committed),
            remaining=rupiah(page.remaining_rp(need)), deadline=days[need.deadline],
        ))
    return cards
