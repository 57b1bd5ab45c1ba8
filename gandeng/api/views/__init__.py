"""The API's views, one module per resource; importing them defines the blueprints."""
