"""Data bank views, one module per area."""
