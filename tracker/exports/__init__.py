"""Exports: pure functions, data in and bytes out (PDF, DOCX, Markdown, iCalendar, ...)."""
