"""Nglarisi (issue 18): city offices (OPD) order meeting food from kampung groups, fairly, and the group
hears in time. Models, the pure proposer, services, web pages, API, CLI and jobs live in this package."""
