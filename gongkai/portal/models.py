"""The portal keeps no data of its own: it reads publications, cases and reports."""
