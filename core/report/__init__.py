"""Reports: what a journal says about a search, built once and rendered as HTML, Markdown, JSON or iCalendar."""
