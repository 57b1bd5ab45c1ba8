"""The JSON API (/api/v1) and the serialisation of models into the contract's fields."""
