"""The coordination office's settings live in tracker/settings.py, below the features.

tracker/__init__.py still imports this module by its old name; once it imports
tracker.settings instead, this module goes.
"""

from tracker import settings as _settings  # noqa: F401
