"""gongkai — 政府信息公开: an agency's disclosure work, end to end."""

__version__ = "0.1.0"
