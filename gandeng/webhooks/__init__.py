"""Endpoints that outside services call (the WhatsApp Cloud API's webhook); CSRF-exempt, signed instead."""
