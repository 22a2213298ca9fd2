"""How people appear to people: by 姓名, not by login name."""

from __future__ import annotations

from typing import Any


def display_name(user: Any) -> str:
    """The user's full name (姓名), else the login name; "" for nobody. The login name is
    what the system knows; the name is what the colleague reading the page knows."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
