"""Framework-free core: the law and the report format as code.

Nothing under this package may import Django (enforced by ruff's banned-api rule).
"""
