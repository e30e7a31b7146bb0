"""WPS Monitor: plan, monitor, finance and report Women, Peace and Security action plans."""

__version__ = "0.1.0"
