"""案卷归档: a case's or a year's case files as a zip with a manifest, and the year lock."""
