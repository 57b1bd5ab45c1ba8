"""Kelurahan and kemantren codes the matcher tests use (from tests/data/matching/wilayah.csv)."""

from datetime import date

TODAY = date(2026, 7, 1)
TEGALREJO, JETIS, KRATON = "34.71.01", "34.71.02", "34.71.09"
KRICAK, KARANGWARU = "34.71.01.1001", "34.71.01.1002"
BUMIJO, COKRODININGRATAN, GOWONGAN = "34.71.02.1001", "34.71.02.1002", "34.71.02.1003"
PATEHAN, PANEMBAHAN = "34.71.09.1001", "34.71.09.1002"
GIWANGAN = "34.71.13.1007"
