"""Tests of the JSON API (/api/v1)."""
