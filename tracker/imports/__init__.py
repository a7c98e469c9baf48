"""Importing an existing register from CSV or XLSX."""
