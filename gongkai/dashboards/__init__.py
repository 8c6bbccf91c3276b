"""Dashboards: the supervisor's console (publication status, 催报, roll-up, trends, 雷同) and the
agency's own dashboard, drawn as charts (gongkai.web.charts) over the domain apps' selectors."""
