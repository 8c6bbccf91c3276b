"""The web foundation every view builds on: the typed staff user, the one error-to-response
mapping, and the registry of home-page panels that domain apps fill from ``AppConfig.ready``."""
