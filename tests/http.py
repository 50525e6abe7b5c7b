"""HTTP between the portal and the sandbox payment platform, inside a test.

`DjangoClientAdapter` is a `requests` transport that hands each request to
Django's test client: the gateway adapter's status queries and the platform's
callbacks go through the real URL routing, views and signature checks, only
without a socket. Every request is kept in `calls`.
"""

from typing import Any
from urllib.parse import urlsplit

import requests
from django.test import Client
from requests.structures import CaseInsensitiveDict


class DjangoClientAdapter(requests.adapters.BaseAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.client = Client()
        self.calls: list[tuple[str, str]] = []
        # Set to an exception class to make the next requests fail like a network.
        self.fail_with: type[Exception] | None = None

    def send(self, request: Any, *args: Any, **kwargs: Any) -> requests.Response:
        self.calls.append((request.method, request.url))
        if self.fail_with is not None:
            raise self.fail_with("simulated network failure")
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        answer = self.client.generic(
            request.method,
            path,
            data=body,
            content_type=request.headers.get("Content-Type", "application/json"),
            REMOTE_ADDR="192.0.2.10",
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(dict(answer.headers))
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        pass


def session_with(adapter: DjangoClientAdapter) -> requests.Session:
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
