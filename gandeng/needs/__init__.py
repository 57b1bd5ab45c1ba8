"""Needs posted by kampung coordinators and verified by city staff."""
