"""Bulk import of needs and offers from CSV or XLSX (all-or-nothing)."""
