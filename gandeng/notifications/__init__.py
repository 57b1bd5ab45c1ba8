"""Notifications: in-app messages and an e-mail outbox that a worker sends."""
