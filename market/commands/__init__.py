"""Command groups of the market application, one module per business concept."""
