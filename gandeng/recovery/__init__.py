"""Account recovery: one-time password-reset links (by e-mail, WhatsApp, or handed over by staff)."""
