"""Gandeng Gendong platform: needs, offers, matching and collaborations for Kota Yogyakarta."""
