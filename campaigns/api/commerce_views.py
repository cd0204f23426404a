"""Commerce endpoints (C05). Being written."""
