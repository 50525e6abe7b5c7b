"""The API's JSON parser: a request body is one JSON object of bounded depth.

DRF's parser let a body nested a few thousand levels deep raise RecursionError
(a 500, before any login check on the token endpoint), let a few hundred levels
through to code that recursed again while saving, read `1e999` as infinity
(PostgreSQL refuses it in JSON) and handed a list or a string to views that
expect fields. Every body of the API is an object (the schema says so), so the
rest is refused here with a 400 the client can act on (docs/security.md).
"""

import codecs
import json
import math
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Refuses the charsets that are not text (bz2_codec would inflate a small body).
# (Typed in djangorestframework-stubs from 3.18.2 only: either version passes.)
from rest_framework.parsers import get_encoding  # type: ignore[attr-defined, unused-ignore]

# Deep enough for any form of the catalogue (sections, repeated groups, a
# household's members: under ten levels), far below Python's recursion limit.
MAX_DEPTH = 32


def _refuse_constant(name: str) -> float:
    raise ValueError(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    """True when `value` nests more than `limit` lists or objects; iterative, so
    that measuring cannot overflow the stack either."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _too_deep() -> ParseError:
    return ParseError(
        _("Nội dung JSON lồng nhau quá sâu (tối đa %(depth)d tầng).")
        % {"depth": MAX_DEPTH},
        code="too_deep",
    )


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
        except UnicodeDecodeError:
            raise ParseError(
                _("Nội dung yêu cầu phải được mã hóa UTF-8."), code="not_utf8"
            ) from None
        try:
            data = json.loads(
                text, parse_constant=_refuse_constant, parse_float=_finite_float
            )
        except json.JSONDecodeError as exc:
            raise ParseError(
                _(
                    "Nội dung JSON không hợp lệ ở dòng %(line)d, cột %(column)d: "
                    "hãy kiểm tra dấu ngoặc, dấu phẩy và dấu nháy."
                )
                % {"line": exc.lineno, "column": exc.colno},
                code="invalid_json",
            ) from None
        except RecursionError:
            raise _too_deep() from None
        except ValueError:
            # NaN, Infinity, 1e999, an integer of thousands of digits.
            raise ParseError(
                _(
                    "Nội dung JSON có số không hợp lệ (NaN, Infinity, số quá lớn "
                    "hoặc quá dài)."
                ),
                code="invalid_number",
            ) from None
        if not isinstance(data, dict):
            raise ParseError(
                _(
                    "Nội dung JSON phải là một đối tượng {…} chứa các trường "
                    "của yêu cầu."
                ),
                code="not_an_object",
            )
        if _deeper_than(data, MAX_DEPTH):
            raise _too_deep()
        return data
