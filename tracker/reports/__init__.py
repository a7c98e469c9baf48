"""Register exports, saved views, funder reports and calendar feeds."""
