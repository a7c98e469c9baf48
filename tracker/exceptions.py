"""Errors raised by services; views, API and CLI turn them into answers."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base class: a request that the rules do not allow. Carries a user-facing message."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(ServiceError):
    status_code = 403


class NotFound(ServiceError):
    """The record does not exist for this user: hidden records are answered like missing ones."""

    status_code = 404

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message, field)


class InvalidTransition(ServiceError):
    status_code = 409


class ValidationFailed(ServiceError):
    status_code = 422


class ConflictError(ServiceError):
    """The record was changed by someone else since the user loaded it."""

    status_code = 409

    def __init__(self, message: str, record: Any, expected_version: int | None):
        super().__init__(message)
        self.record = record
        self.expected_version = expected_version


class DuplicateSuspected(ServiceError):
    """An open item with the same title exists for the company; creating needs a second yes."""

    status_code = 409

    def __init__(self, message: str, reference: str, item_id: int):
        super().__init__(message)
        self.reference = reference
        self.item_id = item_id


class TemporarilyUnavailable(ServiceError):
    """The server cannot do this just now; answered 503 with a Retry-After header."""

    status_code = 503

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
