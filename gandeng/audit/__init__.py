"""Audit trail: one row for every state change, who made it, and why."""
