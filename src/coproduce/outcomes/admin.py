"""Personal outcomes are not in the admin: only the person and the helpers they choose may see them, and
network admins are neither (see access.py)."""
