"""Personal-data protection under UU 27/2022 (issue 19): the records of processing (records.py),
consent, a person's rights (requests.py, export.py), retention (retention.py)."""
