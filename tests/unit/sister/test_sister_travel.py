"""The estimated travel time shown with each pair's distance (straight line × 1.3 at 20 km/h)."""
from gandeng.sister.services import travel_minutes


def test_travel_minutes_follow_the_distance():
    assert travel_minutes(3.1) == 12  # the example: "12 menit / 3,1 km"
    assert travel_minutes(10.0) == 39
    assert travel_minutes(0.0) == 1  # same kelurahan: never "0 menit"
