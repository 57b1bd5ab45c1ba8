"""Commitments of an offer's money to a need, and the collaborations that follow them."""
