"""Matching runs and the proposals staff review."""
