"""Offers of funds, goods, services, training or purchases by organisations."""
