"""Records kept by the dashboards (the 催报 reminders sent to agencies)."""
