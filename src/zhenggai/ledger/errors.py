"""Errors raised by the ledger's actions and access helpers.

Each carries a message in Chinese meant for the user; views turn them into responses
(``NotFound`` → 404, ``PermissionDenied`` → 403, the others → 400/409 with the message).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _


class LedgerError(Exception):
    """Base class: ``message`` is shown to the user as it is."""

    default_message = _("操作失败。")

    def __init__(self, message: str | None = None) -> None:
        # The defaults are plain strings marked for translation (gettext_noop), translated here
        # in the language of the request that raised the error.
        self.message = message or gettext(self.default_message)
        super().__init__(self.message)


class NotFound(LedgerError):
    """The object does not exist, or the user may not know that it does (404)."""

    default_message = _("未找到该记录，或您无权查看。")


class PermissionDenied(LedgerError):
    """The user may see the object but not do this to it (403)."""

    default_message = _("您无权执行此操作。")


class InvalidTransition(LedgerError):
    """The object's state does not allow this action now."""

    default_message = _("当前状态下不能执行此操作。")


class ConflictError(LedgerError):
    """Someone else changed the object since the user loaded it (optimistic locking)."""

    default_message = _("该整改措施已被他人修改，请刷新页面查看最新内容后再保存。")


class ValidationError(LedgerError):
    """Input was refused; ``errors`` maps a field name to its messages."""

    default_message = _("输入有误，请检查后重新提交。")

    def __init__(
        self, message: str | None = None, errors: Mapping[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.errors: dict[str, list[str]] = dict(errors or {})
