"""regrad-nn: neural networks on regrad (filled by the nn issue)."""
__version__ = "0.1.0"
