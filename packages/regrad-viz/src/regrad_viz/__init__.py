"""regrad-viz: computation-graph drawings for regrad (filled by the viz issue)."""
__version__ = "0.1.0"
