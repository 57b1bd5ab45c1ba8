"""Accounts: users and their roles, organisations and kampung."""
