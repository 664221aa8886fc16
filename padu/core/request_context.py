"""The current request's identity, for audit rows written deep inside services."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestInfo:
    request_id: str = ""
    method: str = ""
    path: str = ""
    ip_address: str | None = None
    user_agent: str = ""
    user_id: Any = None


_current: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar(
    "padu_request", default=None
)


def get_request_info() -> RequestInfo:
    return _current.get() or RequestInfo()


def set_request_info(info: RequestInfo | None) -> contextvars.Token[RequestInfo | None]:
    return _current.set(info)


def reset_request_info(token: contextvars.Token[RequestInfo | None]) -> None:
    _current.reset(token)
