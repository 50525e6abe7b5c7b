"""What an uploaded PDF holds that the portal refuses, read with pypdf.

The document is walked as a reader resolves it, from the trailer: the catalogue,
its open action and name trees, the pages with their annotations and actions,
the form fields, the outline, and any object they refer to, inside object
streams too. Only dictionaries and arrays are read. Page contents, resources
(fonts, pictures), appearance streams and the structure tree are not entered:
no reader runs an action from there, and their bytes are data, not names (the
hand-written check before this one refused the portal's own result slips when
their ASCII85 page text spelt "/JS" by chance: docs/decisions.md 105, 138).

A file that pypdf cannot read, whose cross-reference table is broken (a file cut
short loses it), or that asks for a password is refused, never half-read. The
work is bounded, so that a crafted file is refused as too complex instead of
holding the worker: reads of the file (pypdf parses an object whole before the
walk sees it), objects and values visited, objects out of place, and bytes
decoded from object streams, each stream by pypdf's own limits, all of them by
ours.
"""

import enum
import io
import logging
import threading
from typing import Any

from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import DependencyError, LimitReachedError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

logger = logging.getLogger(__name__)


class PdfProblem(enum.Enum):
    ACTIVE_CONTENT = "pdf_active_content"
    EMBEDDED_FILE = "pdf_embedded_file"
    ENCRYPTED = "pdf_encrypted"
    BROKEN = "pdf_broken"
    TOO_COMPLEX = "pdf_too_complex"


# Keys and name values that run code or another program when the file is
# opened or a link is followed: JavaScript (actions /S /JavaScript with /JS, the
# document's /JavaScript name tree), launch actions, rich media (Flash) and XFA
# forms, whose XML carries scripts of its own.
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/XFA", "/RichMediaContent"})
_ACTIVE_VALUES = frozenset({"/JavaScript", "/Launch", "/RichMedia"})
# Files carried inside the PDF (the /EmbeddedFiles name tree, file
# specifications with /EF, attachment annotations): a scan has none, and what
# they hold is not what the officer sees.
_EMBEDDED_KEYS = frozenset({"/EmbeddedFiles", "/EF"})
_EMBEDDED_VALUES = frozenset({"/EmbeddedFile", "/FileAttachment"})
# Entries no reader takes an action from, and where most objects of a large
# document are: page contents and resources (fonts, pictures, forms drawn on the
# page), annotations' appearances, thumbnails, XMP metadata, the structure tree
# of a tagged PDF (its references to annotations are also in the pages'
# /Annots).
_INERT_KEYS = frozenset(
    {
        "/Contents",
        "/Resources",
        "/AP",
        "/Thumb",
        "/Metadata",
        "/StructTreeRoot",
        "/ParentTree",
    }
)

# Bounds for one file of at most a few MB. An 88-page tagged PDF printed from
# Chromium takes 85,000 reads; one of 143 pages with 4,000 links takes 2.3M
# reads and 4,000 objects, and is refused (a dossier's paper is a few pages);
# the portal's slips take about 600 reads and a dozen objects.
MAX_READS = 1_000_000
MAX_OBJECTS = 50_000
MAX_VALUES = 500_000
# Objects not where the cross-reference table says, or not in it: pypdf
# searches the whole file for each.
MAX_REPAIRS = 32
# Object streams hold dictionaries and arrays only (a few hundred kB in large
# documents); more than this, one stream or all, is a decompression bomb.
MAX_DECODED_BYTES = 8 * 1024 * 1024
_PYPDF_LIMITS: dict[str, Any] = {
    "maximum_declared_stream_length": 16 * 1024 * 1024,
    "zlib_maximum_output_length": MAX_DECODED_BYTES,
    # pypdf retries a damaged Flate stream byte by byte up to this length.
    "zlib_maximum_recovery_input_length": 64 * 1024,
    "lzw_maximum_output_length": MAX_DECODED_BYTES,
    "run_length_maximum_output_length": MAX_DECODED_BYTES,
    "brotli_maximum_output_length": MAX_DECODED_BYTES,
    "array_based_stream_maximum_output_length": MAX_DECODED_BYTES,
    "stream_decoding_work_maximum_length": 2 * MAX_DECODED_BYTES,
}


class _TooComplex(Exception):
    pass


class _Broken(Exception):
    pass


class _CountedFile(io.BytesIO):
    """The file as pypdf reads it, a bounded number of times. pypdf reads a
    token or two at a time and parses an object whole before the walk sees it
    (one nested array can hold millions of numbers), so this bound holds where
    the walk's own cannot."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads_left = MAX_READS

    def read(self, size: int | None = -1) -> bytes:
        self.reads_left -= 1
        if self.reads_left < 0:
            # pypdf catches and retries some errors: every later read fails too.
            raise _TooComplex(f"more than {MAX_READS} reads")
        return super().read(size)


class _Reader(PdfReader):
    """pypdf's reader that does not rebuild a broken cross-reference table."""

    table_broken = False

    def _rebuild_xref_table(self, stream: Any) -> None:
        # Rebuilding parses every object of the file and decodes every object
        # stream at once, before any bound of ours applies; and a file that
        # needs it is damaged (cut short, or broken by a tool that edited it).
        self.table_broken = True


class _Walk:
    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.seen: set[tuple[int, int]] = set()
        self.object_streams: set[int] = set()
        self.values = 0
        self.repairs = 0
        self.decoded = 0
        self.active = False
        self.embedded = False

    def resolve(self, ref: IndirectObject) -> Any:
        """The object `ref` points to, the first time it is asked for."""
        key = (ref.idnum, ref.generation)
        if key in self.seen:
            return None
        self.seen.add(key)
        if len(self.seen) > MAX_OBJECTS:
            raise _TooComplex(f"more than {MAX_OBJECTS} objects")
        reader = self.reader
        if ref.generation == 0 and ref.idnum in reader.xref_objStm:
            self._decode_object_stream(reader.xref_objStm[ref.idnum][0])
            return reader.get_object(ref)
        listed = reader.xref.get(ref.generation, {}).get(ref.idnum)
        obj = reader.get_object(ref)
        if listed is None or reader.xref[ref.generation].get(ref.idnum) != listed:
            self.repairs += 1
            if self.repairs > MAX_REPAIRS:
                raise _Broken(f"more than {MAX_REPAIRS} objects out of place")
        return obj

    def _decode_object_stream(self, number: int) -> None:
        # pypdf decodes an object stream whole when it first reads an object of
        # it, and keeps the result: decoding it here first counts its size.
        if number in self.object_streams:
            return
        self.object_streams.add(number)
        stream = self.resolve(IndirectObject(number, 0, self.reader))
        if not isinstance(stream, StreamObject):
            raise _Broken(f"object stream {number} is not a stream")
        self.decoded += len(stream.get_data())
        if self.decoded > MAX_DECODED_BYTES:
            raise _TooComplex(f"object streams decode to over {MAX_DECODED_BYTES}")

    def visit(self, start: Any) -> None:
        """Walk `start` and what it refers to, by an explicit stack (nesting and
        chains of references cannot exhaust Python's)."""
        stack = [start]
        while stack and not (self.active and self.embedded):
            item = stack.pop()
            self.values += 1
            if self.values > MAX_VALUES:
                raise _TooComplex(f"more than {MAX_VALUES} values")
            if isinstance(item, IndirectObject):
                stack.append(self.resolve(item))
            elif isinstance(item, DictionaryObject):
                # Raw values: the walk resolves each reference once.
                for key, value in dict.items(item):
                    self._note(key, _ACTIVE_KEYS, _EMBEDDED_KEYS)
                    if key not in _INERT_KEYS:
                        stack.append(value)
            elif isinstance(item, ArrayObject):
                stack.extend(list.__iter__(item))
            elif isinstance(item, NameObject):
                self._note(item, _ACTIVE_VALUES, _EMBEDDED_VALUES)

    def _note(
        self, name: str, active: frozenset[str], embedded: frozenset[str]
    ) -> None:
        if name in active:
            self.active = True
        elif name in embedded:
            self.embedded = True


# Verdicts on the last files checked, by SHA-256: a dossier's upload is checked
# by its form and again by the service that stores it.
_RECENT: dict[str, PdfProblem | None] = {}
_RECENT_SIZE = 64
_recent_lock = threading.Lock()


def pdf_problem(data: bytes, *, sha256: str | None = None) -> PdfProblem | None:
    """Why the PDF `data` is refused, or None when it is accepted. With its
    `sha256`, a file checked a moment ago is not read again."""
    if sha256 is not None:
        with _recent_lock:
            if sha256 in _RECENT:
                return _RECENT[sha256]
    problem = _problem(data)
    if sha256 is not None:
        with _recent_lock:
            while len(_RECENT) >= _RECENT_SIZE:
                del _RECENT[next(iter(_RECENT))]
            _RECENT[sha256] = problem
    return problem


def _problem(data: bytes) -> PdfProblem | None:
    file = _CountedFile(data)
    with apply_configuration(**_PYPDF_LIMITS):
        try:
            return _inspect(file)
        except Exception as exc:
            # pypdf raises its own errors and Python's (ValueError, KeyError,
            # RecursionError...) on damaged files: none may become a 500.
            if isinstance(exc, _TooComplex | LimitReachedError) or file.reads_left < 0:
                logger.info("PDF refused as too complex: %r", exc)
                return PdfProblem.TOO_COMPLEX
            logger.info("PDF refused as unreadable: %r", exc)
            return PdfProblem.BROKEN


def _inspect(file: _CountedFile) -> PdfProblem | None:
    reader = _Reader(file)
    if reader.table_broken:
        raise _Broken("the cross-reference table is broken")
    if reader.is_encrypted:
        # A file with an empty user password opens without asking and is read
        # as any other; one that asks for a password can be checked by no one,
        # nor opened by the officer.
        try:
            if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                return PdfProblem.ENCRYPTED
        except DependencyError:
            return PdfProblem.ENCRYPTED
    walk = _Walk(reader)
    catalog = dict.get(reader.trailer, "/Root")
    if isinstance(catalog, IndirectObject):
        catalog = walk.resolve(catalog)
    if not isinstance(catalog, DictionaryObject) or "/Pages" not in catalog:
        raise _Broken("no catalogue with pages")
    walk.visit(catalog)
    if walk.active:
        return PdfProblem.ACTIVE_CONTENT
    if walk.embedded:
        return PdfProblem.EMBEDDED_FILE
    return None
