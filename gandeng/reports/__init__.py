"""Figures and reports: the staff dashboard, equity view and map, the public transparency page and
open data, the partner page and statement, staff exports and the monthly report, the collaboration
network. Each page has its own module of queries (pure reads) and its own views module."""
