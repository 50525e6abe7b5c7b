"""Well-formed PDFs written byte by byte, to carry what an attacker would put in
one (the upload check reads a file as a reader does, so a test file must be one
a reader opens)."""

import zlib
from collections.abc import Callable, Collection
from typing import Any

# The smallest document: a catalogue, its page tree and one empty page.
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"


def catalog(extra: bytes) -> bytes:
    return b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>"


def page(extra: bytes) -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + extra + b" >>"


def stream(dictionary: bytes, data: bytes) -> bytes:
    # As reportlab writes it: no end of line before "endstream".
    return (
        b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"endstream"
    )


def make_pdf(
    *bodies: bytes,
    packed: Collection[int] = (),
    per_stream: int | None = None,
    pack_filter: bytes = b"/FlateDecode",
    pack_encode: Callable[[bytes], bytes] = zlib.compress,
) -> bytes:
    """A PDF of the object `bodies`, numbered from 1 (object 1 is the catalogue).
    The numbers in `packed` go into object streams (`per_stream` objects each,
    else all in one), encoded by `pack_encode` and declared with `pack_filter`,
    listed by a cross-reference stream; without them the file has a classic
    cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, body in enumerate(bodies, start=1):
        if number not in packed:
            offsets[number] = len(out)
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    size = len(bodies) + 1
    if not packed:
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += b"%010d 00000 n \n" % offsets[number]
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % size
        return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref)
    order = sorted(packed)
    step = per_stream or len(order)
    groups = [order[i : i + step] for i in range(0, len(order), step)]
    # A packed object's number -> (its object stream's number, its index).
    holders: dict[int, tuple[int, int]] = {}
    for number_of_stream, group in enumerate(groups, start=size):
        header = bytearray()
        content = bytearray()
        for index, number in enumerate(group):
            header += b"%d %d " % (number, len(content))
            content += bodies[number - 1] + b"\n"
            holders[number] = (number_of_stream, index)
        offsets[number_of_stream] = len(out)
        out += (
            b"%d 0 obj\n" % number_of_stream
            + stream(
                b"/Type /ObjStm /N %d /First %d /Filter %s"
                % (len(group), len(header), pack_filter),
                pack_encode(bytes(header + content)),
            )
            + b"\nendobj\n"
        )
    table = size + len(groups)
    offsets[table] = len(out)
    rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
    for number in range(1, table + 1):
        if number in holders:
            holder, index = holders[number]
            rows += b"\x02" + holder.to_bytes(4, "big") + index.to_bytes(2, "big")
        else:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
    out += (
        b"%d 0 obj\n" % table
        + stream(
            b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R" % (table + 1), bytes(rows)
        )
        + b"\nendobj\n"
    )
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % offsets[table])


def document(*extra_objects: bytes, catalog_extra: bytes = b"", **kwargs: Any) -> bytes:
    """The smallest document with `catalog_extra` in its catalogue and
    `extra_objects` numbered from 4."""
    return make_pdf(catalog(catalog_extra), PAGES, PAGE, *extra_objects, **kwargs)
