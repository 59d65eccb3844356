"""Reports: Markdown and HTML session reports, programme dashboards, research tables."""
