"""coproduce: communities and public services co-producing those services."""

__version__ = "0.1.0"
