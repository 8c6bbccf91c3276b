"""The annual report: taxonomy, data type, checks, readers and writers."""
