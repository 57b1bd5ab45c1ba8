"""Builders of CSV and XLSX files for the import tests."""
import csv
from datetime import date, timedelta

from openpyxl import Workbook

NEED_HEADER = ["ref", "kelurahan", "kampung", "rw", "category", "title", "description", "households",
               "kms_households", "cost_rp", "deadline", "urgency", "partial_ok"]
OFFER_HEADER = ["ref", "organisation", "org_type", "kind", "categories", "title", "description",
                "capacity_rp", "areas", "valid_until"]
NEXT_YEAR = date.today() + timedelta(days=365)


def need_row(**overrides):
    row = {
        "ref": "N-1", "kelurahan": "Kricak", "kampung": "Kricak Kidul", "rw": "04", "category": "sanitation",
        "title": "Jamban sehat 5 KK", "description": "Lima KK belum punya jamban.", "households": "5",
        "kms_households": "3", "cost_rp": "15.000.000", "deadline": NEXT_YEAR.isoformat(),
        "urgency": "tinggi", "partial_ok": "tidak",
    }
    row.update(overrides)
    return row


def offer_row(**overrides):
    row = {
        "ref": "O-1", "organisation": "PT Bank Mataram Sejahtera", "org_type": "korporat", "kind": "dana",
        "categories": "housing;sanitation", "title": "CSR rumah layak", "description": "Dana bedah rumah.",
        "capacity_rp": "Rp 100.000.000", "areas": "Jetis;Kricak", "valid_until": NEXT_YEAR.isoformat(),
    }
    row.update(overrides)
    return row


def write_csv(path, header, rows, bom=False):
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def write_xlsx(path, header, rows):
    """Rows are dicts; their values go into the cells as they are (numbers and dates stay typed)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name) for name in header])
    workbook.save(path)
    return path
