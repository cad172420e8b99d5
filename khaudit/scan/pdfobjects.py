"""A PDF's objects read straight from its bytes in memory: cross-reference tables and streams,
object streams, dictionaries, arrays and the streams' data, without a PDF library.

Opening a document with pikepdf costs more than hashing a scanning station's file (qpdf reads
and checks the whole cross-reference before the first object), and every value taken through
its Python binding costs microseconds more. A scan's facts need a handful of objects a page,
each a few dozen tokens, so this reader parses only the objects asked for, once each, and
decodes only Flate, ASCII85 and ASCIIHex data (what content and object streams use).

It reads what well-formed files say and nothing else: a structure it does not read for certain
(an offset that does not point at its object, a stream whose length is wrong, another filter,
encryption, a hybrid cross-reference, nesting deeper than a writer needs) raises
:class:`Unsure`, and the caller hands the file to pikepdf, which repairs what can be repaired
and gives the verdict. Work per file is bounded: sections, entries, decoded sizes and nesting.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Sequence
from itertools import repeat
from operator import add
from typing import Any

_DELIM = rb"\s()<>\[\]{}/%"
#: The tokens of an object, found in one pass of the regex engine; literal strings nest up to
#: three levels (deeper leaves a lone parenthesis, which is Unsure).
_TOKENS = re.compile(
    rb"/[^" + _DELIM + rb"]*"
    rb"|[+-]?(?:\d+\.?\d*|\.\d+)"
    rb"|<<|>>|\[|\]"
    rb"|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*\)"
    rb"|<[0-9A-Fa-f\x00\t\n\f\r ]*>"
    rb"|[A-Za-z]+"
    rb"|%[^\r\n]*"
    rb"|[^\x00\t\n\f\r ]",
    re.S,
)
_NAME_ESCAPE = re.compile(r"#([0-9A-Fa-f]{2})")
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]")
_OBJ_HEAD = re.compile(rb"[\x00\t\n\f\r ]*(\d+)[\x00\t\n\f\r ]+(\d+)[\x00\t\n\f\r ]+obj")
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_ENDSTREAM = re.compile(rb"[\x00\t\n\f\r ]*endstream")
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_SUBSECTION = re.compile(rb"[\x00\t\n\f\r ]*(\d+)[ ]+(\d+)[ \t]*(?:\r\n|\r|\n)")
_ENTRIES = re.compile(rb"(?:\d{10} \d{5} [nf][\r\n ][\r\n])*")
#: A trailer's file identifiers: two hex strings, which would send the trailer to the token
#: parser (strings have no shape); nothing here reads them.
_ID = re.compile(
    rb"/ID[\x00\t\n\f\r ]*\[[\x00\t\n\f\r ]*(?:<[0-9A-Fa-f\x00\t\n\f\r ]*>[\x00\t\n\f\r ]*){2}\]"
)
_TRAILER = re.compile(rb"[\x00\t\n\f\r ]*trailer")

MAX_DEPTH = 32  # containers inside containers: no writer nests a page's objects deeper
MAX_SECTIONS = 64  # cross-reference sections (incremental updates) followed through /Prev
MAX_ENTRIES = 1 << 21  # objects a file may declare before this reader stops vouching for it
MAX_DECODED = 64 << 20  # bytes one stream may decode to here


class Unsure(Exception):
    """This reader cannot vouch for what the file says: a PDF library must read it."""


class Ref(tuple):
    """An indirect reference ``N G R``."""

    __slots__ = ()


class Stream:
    """A stream object: its dictionary, and where its ``stream`` keyword stands. Where its data
    lies is worked out only when the data is read (:meth:`Document.raw`): an image's never is."""

    __slots__ = ("dictionary", "keyword", "start", "end")

    def __init__(self, dictionary: dict[str, Any], keyword: int):
        self.dictionary, self.keyword = dictionary, keyword
        self.start = self.end = -1


_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_SHAPE_TOKENS = re.compile(
    rb"/[^" + _DELIM + rb"]*|[+-]?(?:0+\.?0*|\.0+)|<<|>>|\[|\]|[A-Za-z]+|[^\x00\t\n\f\r ]"
)
_SEPARATOR = b"\x00~\x00"
_MAX_SHAPED = 2048  # longer objects (a long /Kids array) are parsed token by token
_MAX_SHAPES = 4096
#: Shapes learned at once: a writer's objects of one kind take a few; a file whose every
#: object has its own shape is parsed token by token, so no file makes this compile much.
_MAX_NEW_SHAPES = 64
_shapes: dict[bytes, Any] = {}


def parse_many(segments: list[bytes]) -> list[tuple[int | None, Any]]:
    """Each segment's object, as (its number when the segment starts with ``N G obj``, the
    object). Names are str with their slash, strings bytes, references :class:`Ref`,
    dictionaries dict, arrays list.

    A scanner writes the same dictionaries page after page, differing only in their numbers
    (object numbers, sizes, lengths), so each segment is reduced to its shape (every digit a
    0: a C-speed translation) and a shape seen before rebuilds its object straight from the
    bytes at the places its numbers stand, through a function made once for the shape
    (:func:`_compile`). Objects holding strings, comments or escaped names, and long ones,
    are parsed token by token.
    """
    joined = _SEPARATOR.join(segments)
    if (
        b"(" in joined
        or b"%" in joined
        or b"#" in joined
        or joined.count(b"<") != 2 * joined.count(b"<<")  # a hex string
        or joined.count(_SEPARATOR) != len(segments) - 1
        or len(joined) > _MAX_SHAPED * len(segments)
    ):
        return [_parse_alone(segment) for segment in segments]
    shapes = joined.translate(_ZEROS).split(_SEPARATOR)
    known = _shapes
    new = {shape for shape in shapes if shape not in known}
    if len(new) > _MAX_NEW_SHAPES:  # objects of many shapes: no writer's, parse them one by one
        return [_parse_alone(segment) for segment in segments]
    if new:
        if len(known) + len(new) > _MAX_SHAPES:
            known.clear()
        known.update((shape, _compile(shape)) for shape in new)
    return [known[shape](segment) for shape, segment in zip(shapes, segments)]


def _parse_alone(segment: bytes) -> tuple[int | None, Any]:
    head = _OBJ_HEAD.match(segment)
    if head is None:
        return None, _parse_tokens(segment)
    return int(head.group(1)), _parse_tokens(segment[head.end() :])


def parse_object(segment: bytes) -> Any:
    """The one object written in ``segment`` (without an ``N G obj`` head)."""
    number, value = parse_many([segment])[0]
    if number is not None:
        raise Unsure("an object head where an object was expected")
    return value


def _compile(shape: bytes) -> Any:
    """A function of a segment of this shape that builds its object. Its source holds only
    literals made by repr() of the shape's names and slices of the segment at fixed places,
    never text of the file."""
    tokens = [
        (m.group().decode("latin-1"), m.start(), m.end()) for m in _SHAPE_TOKENS.finditer(shape)
    ]
    head = "None"
    if len(tokens) >= 3 and tokens[2][0] == "obj" and tokens[0][0].isdigit():
        head, tokens = f"int(s[{tokens[0][1]}:{tokens[0][2]}])", tokens[3:]
    stack: list[list[str]] = []
    kinds: list[str] = []
    current: list[str] = []
    for token, start, end in tokens:
        c = token[0]
        if c == "/":
            source = f"s[{start}:{end}].decode('latin-1')" if "0" in token else repr(token)
        elif c in "+-.0":
            kind = "float" if "." in token else "int"
            source = f"{kind}(s[{start}:{end}])"
        elif token in ("<<", "["):
            if len(stack) >= MAX_DEPTH:
                raise Unsure("objects nested too deep")
            stack.append(current)
            kinds.append(token)
            current = []
            continue
        elif token in (">>", "]"):
            if not stack or (kinds.pop() == "<<") != (token == ">>"):
                raise Unsure("unbalanced brackets")
            items, current = current, stack.pop()
            if token == ">>":
                if len(items) % 2:
                    raise Unsure("dictionary with a key and no value")
                pairs = zip(items[::2], items[1::2])
                source = "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
            else:
                source = "[" + ", ".join(items) + "]"
        elif token == "R":
            if len(current) < 2 or not all(x.startswith("int(") for x in current[-2:]):
                raise Unsure("reference without its numbers")
            generation = current.pop()
            current[-1] = f"Ref(({current[-1]}, {generation}))"
            continue
        elif token in ("true", "false", "null"):
            source = {"true": "True", "false": "False", "null": "None"}[token]
        else:
            raise Unsure(f"unexpected token {token[:20]!r}")
        current.append(source)
    if stack or len(current) != 1:
        raise Unsure("not one whole object")
    source = f"lambda s: ({head}, {current[0]})"
    return eval(source, {"Ref": Ref, "__builtins__": {"int": int, "float": float}})


def _parse_tokens(segment: bytes) -> Any:
    """The object of ``segment``, token by token."""
    stack: list[list[Any]] = []
    kinds: list[int] = []
    out: list[Any] = []
    current = out
    for token in _TOKENS.findall(segment):
        c = token[0]
        if c == 47:  # /
            value: Any = token.decode("latin-1")
            if "#" in value:
                value = _NAME_ESCAPE.sub(lambda e: chr(int(e.group(1), 16)), value)
        elif 48 <= c <= 57 or c == 45 or c == 43 or c == 46:  # digits, -, +, .
            value = float(token) if b"." in token else int(token)
        elif token == b"<<" or c == 91:  # [
            if len(stack) >= MAX_DEPTH:
                raise Unsure("objects nested too deep")
            stack.append(current)
            kinds.append(c)
            current = []
            continue
        elif token == b">>" or c == 93:  # ]
            if not stack or (kinds.pop() == 60) != (c == 62):
                raise Unsure("unbalanced brackets")
            items, current = current, stack.pop()
            if c == 62:
                if len(items) % 2:
                    raise Unsure("dictionary with a key and no value")
                value = dict(zip(items[::2], items[1::2]))
            else:
                value = items
        elif c == 40:  # (
            value = token[1:-1]
        elif c == 60:  # <
            digits = _NOT_HEX.sub(b"", token)
            value = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
        elif c == 37:  # %
            continue
        elif token == b"R":
            if len(current) < 2 or type(current[-1]) is not int or type(current[-2]) is not int:
                raise Unsure("reference without its numbers")
            generation = current.pop()
            current[-1] = Ref((current[-1], generation))
            continue
        elif token == b"true" or token == b"false":
            value = token == b"true"
        elif token == b"null":
            value = None
        else:
            raise Unsure(f"unexpected token {token[:20]!r}")
        current.append(value)
    if stack or len(out) != 1:
        raise Unsure("not one whole object")
    return out[0]


def decode(doc: Document, stream: Stream, parameters_allowed: bool = False) -> bytes:
    """A stream's data, decoded through its filters when each is Flate (without predictor
    parameters, unless allowed), ASCII85 or ASCIIHex; stored data as is."""
    data = doc.raw(stream)
    filters = doc.get(stream.dictionary.get("/Filter"))
    chain = filters if isinstance(filters, list) else [] if filters is None else [filters]
    parameters = doc.get(stream.dictionary.get("/DecodeParms"))
    if parameters not in (None, {}, [None], [{}]) and not parameters_allowed or len(chain) > 4:
        raise Unsure("filter parameters, or a long chain of filters")
    for name in chain:
        if name in ("/FlateDecode", "/Fl"):
            data = _inflate(data)
        elif name in ("/ASCII85Decode", "/A85"):
            end = data.find(b"~>")
            try:
                data = base64.a85decode(data[: end if end >= 0 else len(data)].strip())
            except ValueError:
                raise Unsure("ASCII85 data is damaged") from None
        elif name in ("/ASCIIHexDecode", "/AHx"):
            digits = _NOT_HEX.sub(b"", data.split(b">", 1)[0])
            data = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
        else:
            raise Unsure(f"filter {name}")
    return data


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_DECODED)
    except zlib.error:
        raise Unsure("Flate data is damaged") from None
    if inflater.unconsumed_tail:
        raise Unsure("stream decodes to more than this reader takes")
    return out


def _unpredict(raw: bytes, columns: int) -> bytes:
    """Undo the PNG predictors of a cross-reference stream (one filter byte a row)."""
    width = columns + 1
    if len(raw) % width:
        raise Unsure("cross-reference stream rows are uneven")
    import numpy as np  # loaded already by the scan catalogue

    table = np.frombuffer(raw, dtype=np.uint8).reshape(-1, width)
    if (table[:, 0] == 2).all():  # "Up" on every row, as qpdf and most writers use
        return np.cumsum(table[:, 1:], axis=0, dtype=np.uint8).tobytes()
    previous = bytearray(columns)
    out = bytearray()
    for start in range(0, len(raw), width):
        kind, row = raw[start], bytearray(raw[start + 1 : start + width])
        if kind == 2:
            row = bytearray((a + b) & 0xFF for a, b in zip(row, previous))
        elif kind == 1:
            for i in range(1, columns):
                row[i] = (row[i] + row[i - 1]) & 0xFF
        elif kind != 0:
            raise Unsure(f"PNG predictor {kind} in a cross-reference stream")
        out += row
        previous = row
    return bytes(out)


_EOF_WINDOW = 1 << 20  # where the last startxref is looked for: padding may follow it
_MAX_EMPTY_SUBSECTIONS = 1024
_OBJECT_WINDOW = 4096  # an object's end is looked for this near first
_FREE = (0, 0, 0)


def _object_end(data: bytes, pos: int) -> int:
    """Where the object from ``pos`` ends: at its ``endobj``, or at ``stream`` if it is a
    stream's dictionary (looked for near first: the next stream's data may be long)."""
    for stop in (pos + _OBJECT_WINDOW, len(data)):
        stream, end = data.find(b"stream", pos, stop), data.find(b"endobj", pos, stop)
        if stream >= 0 or end >= 0:
            return end if stream < 0 or 0 <= end < stream else stream
    raise Unsure("object has no end")


def _column(rows: bytes, width: int, start: int, size: int) -> list[int]:
    """One field of every cross-reference stream row, as big-endian integers."""
    if size == 0:
        return [0] * (len(rows) // width)
    if size == 1:
        return list(rows[start::width])
    import numpy as np  # loaded already by the scan catalogue

    table = np.frombuffer(rows, dtype=np.uint8).reshape(-1, width)
    values = table[:, start].astype(np.int64)
    for k in range(1, size):
        values = values * 256 + table[:, start + k]
    return values.tolist()


def _table_entries(data: bytes, pos: int, count: int) -> list[tuple[int, int, int]] | None:
    """A classic subsection's ``count`` entries of 20 bytes from ``pos`` as (1, offset,
    generation), or (0, offset, generation) for a free one; None when they are not all
    digits, "n" or "f" and ends of line where a table holds them."""
    table = data[pos : pos + 20 * count]
    shape = table.translate(_ENTRY_SHAPE)  # each entry one of the two forms below, then
    if shape != _ENTRY_FORMS[0] * count and shape != _ENTRY_FORMS[1] * count:
        found = _ENTRIES.match(table)
        if found is None or found.end() != len(table) or len(table) != 20 * count:
            return None
    fields = table.split()
    kinds = map(_ENTRY_KIND.__getitem__, fields[2::3])
    return list(zip(kinds, map(int, fields[0::3]), map(int, fields[1::3])))


#: An entry's digits as 0, "f" as "n", "\r" as "\n": each entry then reads as one of these.
_ENTRY_SHAPE = bytes.maketrans(b"123456789f\r", b"000000000n\n")
_ENTRY_FORMS = (b"0000000000 00000 n \n", b"0000000000 00000 n\n\n")
_ENTRY_KIND = {b"n": 1, b"f": 0}


def _without_id(trailer: bytes) -> bytes:
    """A trailer dictionary's bytes without its /ID entry, when it holds one."""
    return _ID.sub(b"", trailer) if b"/ID" in trailer else trailer


class Document:
    """A PDF's objects by number, through its cross-reference sections, newest first."""

    def __init__(self, data: bytes):
        self.data = data
        #: number -> (0 free, 0, 0) | (1, file offset, generation) | (2, object stream, index)
        self.entries: dict[int, tuple[int, int, int]] = {}
        self.trailer: dict[str, Any] = {}
        self._objects: dict[int, Any] = {}
        self._packed: dict[int, tuple[bytes, dict[int, tuple[int, int]]]] = {}
        self._read_sections()

    def _read_sections(self) -> None:
        data = self.data
        at = data.rfind(b"startxref", max(0, len(data) - _EOF_WINDOW))
        found = _STARTXREF.match(data, at) if at >= 0 else None
        if not found:
            raise Unsure("no startxref")
        offset = int(found.group(1))
        seen: set[int] = set()
        sections: list[dict[int, tuple[int, int, int]]] = []
        for _ in range(MAX_SECTIONS):
            if offset in seen or not 0 <= offset < len(data):
                raise Unsure("cross-reference offset points nowhere")
            seen.add(offset)
            entries: dict[int, tuple[int, int, int]] = {}
            if data.startswith(b"xref", offset):
                trailer = self._classic(offset + 4, entries)
            else:
                trailer = self._xref_stream(offset, entries)
            sections.append(entries)
            if "/Encrypt" in trailer or "/XRefStm" in trailer:
                raise Unsure("encrypted, or a hybrid cross-reference")
            if not self.trailer:
                self.trailer = trailer
            previous = trailer.get("/Prev")
            if previous is None:
                break
            if type(previous) is not int:
                raise Unsure("/Prev is not an offset")
            offset = previous
        else:
            raise Unsure("too many cross-reference sections")
        for entries in reversed(sections):  # the newest section's entry wins
            self.entries.update(entries)
        if len(self.entries) > MAX_ENTRIES:
            raise Unsure("more objects than this reader takes")

    def _classic(self, pos: int, entries: dict[int, tuple[int, int, int]]) -> dict[str, Any]:
        data = self.data
        empty = 0
        while m := _SUBSECTION.match(data, pos):
            first, count = int(m.group(1)), int(m.group(2))
            pos = m.end()
            if count == 0:
                empty += 1
                if empty > _MAX_EMPTY_SUBSECTIONS:
                    raise Unsure("empty cross-reference subsections")
                continue
            if count > MAX_ENTRIES:
                raise Unsure("more objects than this reader takes")
            found = _table_entries(data, pos, count)
            if found is None:
                raise Unsure("cross-reference entries are not 20 bytes each")
            entries.update(zip(range(first, first + count), found))
            pos += 20 * count
        t = _TRAILER.match(data, pos)
        stop = data.find(b"startxref", t.end()) if t else -1
        if not t or stop < 0:
            raise Unsure("no trailer after the cross-reference table")
        trailer = parse_object(_without_id(data[t.end() : stop]))
        if not isinstance(trailer, dict):
            raise Unsure("trailer is not a dictionary")
        return trailer

    def _xref_stream(self, offset: int, entries: dict[int, tuple[int, int, int]]) -> dict:
        stream = self._read([offset], [None], trailer=True)[0]
        if not isinstance(stream, Stream) or stream.dictionary.get("/Type") != "/XRef":
            raise Unsure("startxref points at no cross-reference")
        d = stream.dictionary
        widths, size = d.get("/W"), d.get("/Size")
        if (
            not isinstance(widths, list)
            or len(widths) != 3
            or any(type(w) is not int or not 0 <= w <= 8 for w in widths)
            or type(size) is not int
            or not 0 <= size <= MAX_ENTRIES
        ):
            raise Unsure("cross-reference stream /W or /Size")
        row = sum(widths)
        rows = self._xref_rows(stream, row)
        index = d.get("/Index", [0, size])
        if not isinstance(index, list) or len(index) % 2 or any(type(i) is not int for i in index):
            raise Unsure("cross-reference stream /Index")
        counts = index[1::2]
        if row == 0 or min(counts, default=0) < 0 or sum(counts) * row > len(rows):
            raise Unsure("cross-reference stream shorter than its /Index")  # before any list
        numbers = [n for a, c in zip(index[::2], counts) for n in range(a, a + c)]
        rows = rows[: len(numbers) * row]
        w0, w1, w2 = widths
        kinds = _column(rows, row, 0, w0) if w0 else [1] * len(numbers)
        entries.update(
            zip(numbers, zip(kinds, _column(rows, row, w0, w1), _column(rows, row, w0 + w1, w2)))
        )
        return d

    def _xref_rows(self, stream: Stream, columns: int) -> bytes:
        parameters = stream.dictionary.get("/DecodeParms") or {}
        if isinstance(parameters, list):
            parameters = parameters[0] if len(parameters) == 1 and parameters[0] else {}
        if not isinstance(parameters, dict):
            raise Unsure("cross-reference stream parameters")
        raw = decode(self, stream, parameters_allowed=True)
        predictor = parameters.get("/Predictor", 1)
        if predictor in (1, None):
            return raw
        if type(predictor) is not int or predictor < 10:
            raise Unsure("TIFF predictor in a cross-reference stream")
        if parameters.get("/Columns", 1) != columns or columns == 0:
            raise Unsure("cross-reference stream /Columns")
        return _unpredict(raw, columns)

    def get(self, value: Any) -> Any:
        """``value`` itself, or the object it refers to (None for a free or missing one)."""
        if type(value) is not Ref:
            return value
        if value[0] in self._objects:
            return self._objects[value[0]]
        return self.get_many([value])[0]

    def get_many(self, values: list[Any]) -> list[Any]:
        """:meth:`get` of each value, the objects not read yet parsed together."""
        objects = self._objects
        wanted = {v[0] for v in values if type(v) is Ref and v[0] not in objects}
        if wanted:
            self._load(wanted)
        return [objects[v[0]] if type(v) is Ref else v for v in values]

    def _load(self, wanted: set[int]) -> None:
        objects, entries = self._objects, self.entries
        top: list[int] = []
        offsets: list[int] = []
        packed: dict[int, list[int]] = {}
        for number in wanted:
            kind, at, _ = entries.get(number, _FREE)
            if kind == 1:
                top.append(number)
                offsets.append(at)
            elif kind == 2:
                packed.setdefault(at, []).append(number)
            else:
                objects[number] = None
        if top:
            objects.update(zip(top, self._read(offsets, top)))
        for container, numbers in packed.items():
            body, places = self._object_stream(container)
            if any(n not in places for n in numbers):
                raise Unsure("object not in its object stream")
            found = parse_many([body[slice(*places[n])] for n in numbers])
            if any(head is not None for head, _ in found):
                raise Unsure("an object head inside an object stream")
            objects.update(zip(numbers, [value for _, value in found]))

    def _read(
        self, offsets: list[int], numbers: Sequence[int | None], trailer: bool = False
    ) -> list[Any]:
        """The objects written at ``offsets``, each checked to be the object numbered
        (``trailer``: dictionaries read without their /ID, as a cross-reference stream's)."""
        data = self.data
        streams = [data.find(b"stream", a, a + _OBJECT_WINDOW) for a in offsets]
        ends = [
            data.find(b"endobj", a, s if s >= 0 else a + _OBJECT_WINDOW)
            for a, s in zip(offsets, streams)
        ]
        ends = [e if s < 0 or e >= 0 else s for s, e in zip(streams, ends)]
        if -1 in ends:
            ends = [e if e >= 0 else _object_end(data, a) for a, e in zip(offsets, ends)]
        segments = [data[a:b] for a, b in zip(offsets, ends)]
        parsed = parse_many([_without_id(x) for x in segments] if trailer else segments)
        heads = [head for head, _ in parsed]
        if None in heads or any(n is not None and h != n for h, n in zip(heads, numbers)):
            raise Unsure("cross-reference offset does not point at its object")
        return [
            Stream(value, end) if end == keyword and type(value) is dict else value
            for (_, value), end, keyword in zip(parsed, ends, streams)
        ]

    def span(self, stream: Stream) -> tuple[int, int]:
        """Where a stream's data starts and ends in the file, by its /Length."""
        if stream.start < 0:
            at = stream.keyword + 6  # past "stream", then its end of line
            eol = self.data[at : at + 2]
            at += 2 if eol == b"\r\n" else 1 if eol[:1] in (b"\n", b"\r") else -len(self.data)
            length = self.get(stream.dictionary.get("/Length"))
            if at < 0 or type(length) is not int or not 0 <= length <= len(self.data) - at:
                raise Unsure("stream /Length or its end of line")
            stream.start, stream.end = at, at + length
        return stream.start, stream.end

    def raw(self, stream: Stream) -> bytes:
        """A stream's data as written, checked to end at ``endstream``."""
        start, end = self.span(stream)
        if not _ENDSTREAM.match(self.data, end):
            raise Unsure("stream data does not end at its /Length")
        return self.data[start:end]

    def _object_stream(self, container: int) -> tuple[bytes, dict[int, tuple[int, int]]]:
        """An object stream's decoded body and where each of its objects lies in it."""
        packed = self._packed.get(container)
        if packed is not None:
            return packed
        entry = self.entries.get(container, _FREE)
        stream = self.get(Ref((container, 0))) if entry[0] == 1 else None
        if not isinstance(stream, Stream) or stream.dictionary.get("/Type") != "/ObjStm":
            raise Unsure("object stream missing")
        body = decode(self, stream)
        count, first = stream.dictionary.get("/N"), stream.dictionary.get("/First")
        if type(count) is not int or type(first) is not int or not 0 <= first <= len(body):
            raise Unsure("object stream /N or /First")
        head = body[:first].split()[: 2 * count]
        if len(head) < 2 * count or count and not b"".join(head).isdigit():
            raise Unsure("object stream header")
        values = list(map(int, head))
        starts = list(map(add, values[1::2], repeat(first)))
        ends = sorted(set(starts)) + [len(body)]
        following = dict(zip(ends, ends[1:]))
        places = dict(zip(values[0::2], zip(starts, map(following.__getitem__, starts))))
        packed = self._packed[container] = (body, places)
        return packed
