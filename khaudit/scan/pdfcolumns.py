"""A scan's pages read a column at a time: each value the facts need is taken from every object
of one shape at once, at the byte places its shape gives, without building the objects.

A full scan must cost little more than hashing, about 10 µs a page, and building each page's
dictionary, content-stream dictionary and image dictionary as Python objects
(pdfobjects.py) costs several times that. But a writer's pages share their shapes (every
digit a 0; pdfobjects.py): the same dictionaries, differing only in their numbers. So the
objects of a kind (leaves of the page tree, content streams, images) are cut from the file's
bytes together, grouped by shape, each shape read once into a template that says at which
bytes each value stands, and a value of all the objects of a shape (a page's /Contents
reference, an image's /Width) is one list comprehension over their bytes.

This reads the common case only: leaves with their own resources and one content stream,
images whose size and colour their dictionary says directly, no /UserUnit, no form, no text
on the first page. Anything else raises :class:`~khaudit.scan.pdfobjects.Unsure` and the
object reader (pdfpages.py), which reads every case it does, reads the file; where this
answers, it answers what that reader does (the same checks, or stricter ones).
"""

from __future__ import annotations

import re
from itertools import chain, repeat
from operator import add, itemgetter, truediv
from typing import Any

from .colour import color_rank
from .pdfobjects import _SHAPE_TOKENS, _ZEROS, MAX_DEPTH, Document, Ref, Stream, Unsure
from .pdfpages import _NAMED_DIRECTLY, _drawing, _drawn_by_content, _mode

_SEPARATOR = b"\x00~\x00"
_WINDOW = 4096  # an object's end is looked for this near its start
_MAX_SEGMENT = 2048  # a longer dictionary (a long /Kids array) is read by the object reader
_MAX_TEMPLATES = 4096
_MAX_TREE_DEPTH = 64
_MAX_TEXT_PAGE = 16 << 20
_NUMBER = re.compile(rb"[+-]?(?:0+\.?0*|\.0+)")
_ENDSTREAM = re.compile(rb"[\x00\t\n\f\r ]*endstream")
_FREE = (0, 0, 0)
_LITERALS = {b"true": True, b"false": False, b"null": None}

#: A template's nodes: ("int" | "float" | "name", start, end) a value at those bytes;
#: ("ref", start, end, generation start, generation end); ("lit", value) a value the shape
#: itself says (a name without digits, true, false, null); ("dict", {literal key: node},
#: [(key start, key end, node)] for keys with digits); ("array", [node]).
Node = tuple
_templates: dict[bytes, tuple[tuple[int, int] | None, Node] | None] = {}


def _template(shape: bytes) -> tuple[tuple[int, int] | None, Node]:
    """Where each value of an object of this shape stands: (its head's number, if it starts
    with ``N G obj``; its root node). Raises Unsure for what is not one whole object."""
    if shape in _templates:
        known = _templates[shape]
        if known is None:
            raise Unsure("an object of a shape read before and turned away")
        return known
    try:
        made = _make_template(shape)
    except Unsure:
        made = None
    if len(_templates) >= _MAX_TEMPLATES:
        _templates.clear()
    _templates[shape] = made
    if made is None:
        raise Unsure("an object this reader does not read")
    return made


def _make_template(shape: bytes) -> tuple[tuple[int, int] | None, Node]:
    tokens = [(m.group(), m.start(), m.end()) for m in _SHAPE_TOKENS.finditer(shape)]
    head = None
    if len(tokens) >= 3 and tokens[2][0] == b"obj" and tokens[0][0][:1] == b"0":
        head, tokens = (tokens[0][1], tokens[0][2]), tokens[3:]
    stack: list[tuple[bytes, list[Node]]] = []
    current: list[Node] = []
    for token, start, end in tokens:
        c = token[:1]
        if c == b"/":
            node: Node = ("name", start, end) if b"0" in token else ("lit", token.decode("latin-1"))
        elif c in b"+-.0":
            if not _NUMBER.fullmatch(token):
                raise Unsure("not a number")
            node = ("float" if b"." in token else "int", start, end)
        elif token in (b"<<", b"["):
            if len(stack) >= MAX_DEPTH:
                raise Unsure("objects nested too deep")
            stack.append((token, current))
            current = []
            continue
        elif token in (b">>", b"]"):
            if not stack or (stack[-1][0] == b"<<") != (token == b">>"):
                raise Unsure("unbalanced brackets")
            items, current = current, stack.pop()[1]
            node = _dictionary(items) if token == b">>" else ("array", items)
        elif token == b"R":
            if len(current) < 2 or current[-1][0] != "int" or current[-2][0] != "int":
                raise Unsure("reference without its numbers")
            generation, number = current.pop(), current.pop()
            node = ("ref", number[1], number[2], generation[1], generation[2])
        elif token in _LITERALS:
            node = ("lit", _LITERALS[token])
        else:
            raise Unsure("unexpected token")
        current.append(node)
    if stack or len(current) != 1:
        raise Unsure("not one whole object")
    return head, current[0]


def _dictionary(items: list[Node]) -> Node:
    if len(items) % 2:
        raise Unsure("dictionary with a key and no value")
    literal: dict[str, Node] = {}
    slots: list[tuple[int, int, Node]] = []
    for key, value in zip(items[::2], items[1::2]):
        if key[0] == "lit" and type(key[1]) is str:
            literal[key[1]] = value
        elif key[0] == "name":
            slots.append((key[1], key[2], value))
        else:
            raise Unsure("a dictionary key is no name")
    return ("dict", literal, slots)


def _value(node: Node, s: bytes) -> Any:
    """The value of one object's node, built whole (for the few values read this way)."""
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "int":
        return int(s[node[1] : node[2]])
    if kind == "float":
        return float(s[node[1] : node[2]])
    if kind == "name":
        return s[node[1] : node[2]].decode("latin-1")
    if kind == "ref":
        return Ref((int(s[node[1] : node[2]]), int(s[node[3] : node[4]])))
    if kind == "array":
        return [_value(item, s) for item in node[1]]
    out = {key: _value(value, s) for key, value in node[1].items()}
    for start, end, value in node[2]:
        out[s[start:end].decode("latin-1")] = _value(value, s)
    return out


def _literal(node: Node | None) -> Any:
    """The value of a node every object of its shape holds alike (None when absent); Unsure
    when it is a number or a reference (the object reader resolves those)."""
    if node is None:
        return None
    if node[0] == "lit":
        return node[1]
    if node[0] == "array" and all(item[0] == "lit" for item in node[1]):
        return [item[1] for item in node[1]]
    raise Unsure("a value this reader takes from the shape is not in it")


def _ints(group: list[bytes], start: int, end: int) -> list[int]:
    """The whole number at ``start:end`` of every object of a group (a C-level loop)."""
    return list(map(int, map(itemgetter(slice(start, end)), group)))


def _segments(doc: Document, numbers: list[int], streams: bool) -> tuple[list[bytes], list[int]]:
    """Each numbered object's bytes: up to its ``endobj`` (``streams`` False: it must be no
    stream) or its ``stream`` keyword; and where that keyword stands (where the object starts
    when it is no stream; -1 in an object stream, where objects have no head)."""
    found: list[Any] = list(map(doc.entries.get, numbers))
    if None in found:
        raise Unsure("object missing")
    kinds = set(map(itemgetter(0), found))
    if kinds == {1}:
        return _top_level(doc.data, list(map(itemgetter(1), found)), streams)
    if kinds == {2} and not streams and len(set(map(itemgetter(1), found))) == 1:
        body, places = doc._object_stream(found[0][1])
        spans: list[Any] = list(map(places.get, numbers))
        if None in spans:
            raise Unsure("object not in its object stream")
        cut = map(slice, map(itemgetter(0), spans), map(itemgetter(1), spans))
        return list(map(body.__getitem__, cut)), [-1] * len(numbers)
    return _segments_one_by_one(doc, numbers, found, streams)


def _top_level(data: bytes, starts: list[int], streams: bool) -> tuple[list[bytes], list[int]]:
    """:func:`_segments` of objects written at ``starts`` in the file."""
    find, windows = data.find, list(map(add, starts, repeat(_WINDOW)))
    if streams:
        keywords = list(map(find, repeat(b"stream"), starts, windows))
        if min(keywords) < 0 or max(map(find, repeat(b"endobj"), starts, keywords)) >= 0:
            raise Unsure("an object is no stream, or has no end")
        return list(map(data.__getitem__, map(slice, starts, keywords))), keywords
    ends = list(map(find, repeat(b"endobj"), starts, windows))
    if min(ends) < 0 or max(map(find, repeat(b"stream"), starts, ends)) >= 0:
        raise Unsure("an object is a stream, or has no end")
    return list(map(data.__getitem__, map(slice, starts, ends))), starts


def _segments_one_by_one(
    doc: Document, numbers: list[int], found: list[tuple[int, int, int]], streams: bool
) -> tuple[list[bytes], list[int]]:
    """:func:`_segments` of objects some of which lie in object streams (a linearized file
    keeps its first page's objects out of them)."""
    data = doc.data
    segments: list[bytes] = []
    keywords: list[int] = []
    for number, (kind, at, _) in zip(numbers, found):
        if kind == 1:
            keyword = data.find(b"stream", at, at + _WINDOW)
            end = data.find(b"endobj", at, keyword if keyword >= 0 else at + _WINDOW)
            if streams != (keyword >= 0 and end < 0) or (not streams and end < 0):
                raise Unsure("an object is not the kind expected, or has no end")
            segments.append(data[at : keyword if streams else end])
            keywords.append(keyword if streams else at)
        elif kind == 2 and not streams:
            body, places = doc._object_stream(at)
            place = places.get(number)
            if place is None:
                raise Unsure("object not in its object stream")
            segments.append(body[place[0] : place[1]])
            keywords.append(-1)
        else:
            raise Unsure("object missing, free, or a stream inside an object stream")
    return segments, keywords


#: Objects of one shape: its root node, their places in the list asked for, their numbers,
#: their bytes, where each one's stream keyword stands (as :func:`_segments` gives them).
Group = tuple[Node, list[int], list[int], list[bytes], list[int]]


def _grouped(numbers: list[int], segments: list[bytes], keywords: list[int]) -> list[Group]:
    """The objects by shape, each object's head checked to name it (an object inside an
    object stream has none)."""
    joined = _SEPARATOR.join(segments)
    # Strings, comments and hex strings are turned away by the template (a lone "(", "%" or
    # "<" is no token it reads); an escaped name would read as written, so it is looked for.
    if b"#" in joined or len(joined) > _MAX_SEGMENT * len(segments):
        raise Unsure("escaped names or long objects")
    shapes = joined.translate(_ZEROS).split(_SEPARATOR)
    if len(shapes) != len(segments):
        raise Unsure("an object holds the separator")
    if shapes.count(shapes[0]) == len(shapes):  # the usual file: one shape
        groups = [(shapes[0], list(range(len(shapes))), numbers, segments, keywords)]
    else:
        by_shape: dict[bytes, list[int]] = {}
        for i, shape in enumerate(shapes):
            by_shape.setdefault(shape, []).append(i)
        groups = [
            (
                shape,
                indices,
                [numbers[i] for i in indices],
                [segments[i] for i in indices],
                [keywords[i] for i in indices],
            )
            for shape, indices in by_shape.items()
        ]
    out = []
    for shape, indices, named, group, places in groups:
        head, root = _template(shape)
        if head is None:
            if max(places) >= 0:
                raise Unsure("an object without its head")
        elif min(places) < 0 or _ints(group, *head) != named:
            raise Unsure("cross-reference offset does not point at its object")
        if root[0] != "dict":
            raise Unsure("not a dictionary")
        out.append((root, indices, named, group, places))
    return out


def _column(node: Node | None, group: list[bytes], what: str, ref: bool = True) -> list[int]:
    """A whole number (or, ``ref`` being true, a reference's object number) of every object of
    a group."""
    if node is None or node[0] not in (("int", "ref") if ref else ("int",)):
        raise Unsure(f"{what} is not written directly")
    return _ints(group, node[1], node[2])


class _Leaves:
    """The page tree's leaves in order: each one's content stream and its XObjects by name."""

    def __init__(self, doc: Document, tree: dict, declared: int):
        self.doc = doc
        self.contents: dict[int, int] = {}  # leaf -> its content stream
        self.xobjects: dict[int, dict[str, int]] = {}  # leaf -> XObject name -> object
        self.order = self._walk(tree, declared)

    def _walk(self, tree: dict, declared: int) -> list[int]:
        """The leaves' numbers, a level of the tree at a time (as pdfpages._leaves reads it)."""
        doc = self.doc
        level: list[Any] = [tree]
        seen: set[int] = set()
        for _ in range(_MAX_TREE_DEPTH):
            nodes = [node for node in level if type(node) is dict]
            if not nodes:
                break
            kids_of = doc.get_many([node.get("/Kids") for node in nodes])
            if any(type(kids) is not list for kids in kids_of):
                raise Unsure("page tree node without /Kids")
            refs = list(chain.from_iterable(kids_of))
            if len(refs) > declared or not refs or set(map(type, refs)) != {Ref}:
                raise Unsure("page tree holds direct objects, no leaf or more than /Count")
            numbers = list(map(itemgetter(0), refs))
            if len(set(numbers)) != len(numbers) or seen.intersection(numbers):
                raise Unsure("page tree loops or names a page twice")
            seen.update(numbers)
            found = self._read_nodes(numbers)
            if len(nodes) == len(level):  # a whole level of nodes: their kids in order
                level = found
                continue
            kids_iter, found_iter = iter(kids_of), iter(found)
            following: list[Any] = []
            for node in level:
                if type(node) is dict:
                    following.extend(next(found_iter) for _ in next(kids_iter))
                else:
                    following.append(node)
            level = following
        else:
            raise Unsure("page tree too deep")
        if len(level) != declared:
            raise Unsure("page tree leaves do not add up to /Count")
        return level

    def _read_nodes(self, numbers: list[int]) -> list[Any]:
        """Each kid: its number when a leaf (its facts kept), its dictionary when a node."""
        segments, keywords = _segments(self.doc, numbers, streams=False)
        out: list[Any] = list(numbers)
        for root, indices, leaves, group, _ in _grouped(numbers, segments, keywords):
            if "/Kids" in root[1]:
                found = self.doc.get_many([Ref((n, 0)) for n in leaves])
                if any(type(node) is not dict for node in found):
                    raise Unsure("page tree node is no dictionary")
                for i, node in zip(indices, found):
                    out[i] = node
                continue
            self.contents.update(zip(leaves, self._contents(root, group)))
            self.xobjects.update(zip(leaves, self._xobjects(root, group)))
        return out

    @staticmethod
    def _contents(root: Node, group: list[bytes]) -> list[int]:
        page = root[1]
        if page.get("/Type", ("lit", "/Page")) != ("lit", "/Page") or "/UserUnit" in page:
            raise Unsure("a leaf is no page, or has a user unit")
        return _column(page.get("/Contents"), group, "a page's one content stream")

    @staticmethod
    def _xobjects(root: Node, group: list[bytes]) -> list[dict[str, int]]:
        resources = root[1].get("/Resources")
        if resources is None or resources[0] != "dict":
            raise Unsure("resources inherited or held apart")
        xobjects = resources[1].get("/XObject")
        if xobjects is None:
            return [{} for _ in group]
        if xobjects[0] != "dict":
            raise Unsure("XObjects held apart")
        named = list(xobjects[1].items())
        slotted = xobjects[2]
        if any(node[0] != "ref" for _, node in named) or any(n[0] != "ref" for *_, n in slotted):
            raise Unsure("an XObject written directly")
        if len(named) + len(slotted) == 1:  # /Im0 12 0 R: the usual page
            if named:
                names: Any = repeat(named[0][0])
                node = named[0][1]
            else:
                ka, kb, node = slotted[0]
                cut = map(itemgetter(slice(ka, kb)), group)
                names = map(bytes.decode, cut, repeat("latin-1"))
            return list(map(dict, zip(zip(names, _ints(group, node[1], node[2])))))
        out = []
        for s in group:
            found = {key: int(s[node[1] : node[2]]) for key, node in named}
            for ka, kb, node in slotted:
                found[s[ka:kb].decode("latin-1")] = int(s[node[1] : node[2]])
            out.append(found)
        return out


Drawing = tuple[list[tuple[str, float, float]], bool]


def _stream_starts(data: bytes, keywords: list[int]) -> list[int]:
    """Where each stream's data starts: past its ``stream`` keyword and its end of line."""
    past = list(map(add, keywords, repeat(6)))
    firsts = set(map(data.__getitem__, past))
    if firsts == {10}:  # "\n", the usual end of line
        return list(map(add, past, repeat(1)))
    if firsts == {13} and set(map(data.__getitem__, map(add, past, repeat(1)))) == {10}:
        return list(map(add, past, repeat(2)))
    out = []
    for at in past:
        eol = data[at : at + 2]
        if eol == b"\r\n":
            out.append(at + 2)
        elif eol[:1] in (b"\n", b"\r"):
            out.append(at + 1)
        else:
            raise Unsure("stream keyword without its end of line")
    return out


def _drawings(doc: Document, numbers: list[int]) -> tuple[dict[int, Drawing], int]:
    """Each content stream's drawing (pdfpages._drawing: parsed once per distinct stream,
    remembered across files), and the size of the first one's data."""
    segments, keywords = _segments(doc, numbers, streams=True)
    data = doc.data
    out: dict[int, Drawing] = {}
    first = -1
    for root, indices, named, group, places in _grouped(numbers, segments, keywords):
        d = root[1]
        if "/DecodeParms" in d:
            raise Unsure("content stream with filter parameters")
        lengths = _column(d.get("/Length"), group, "a content stream's /Length", ref=False)
        filters = _literal(d.get("/Filter"))
        starts = _stream_starts(data, places)
        ends = list(map(add, starts, lengths))
        if min(lengths) < 0 or max(ends) > len(data):
            raise Unsure("stream /Length")
        if None in map(_ENDSTREAM.match, repeat(data), ends):
            raise Unsure("stream data does not end at its /Length")
        raws = list(map(data.__getitem__, map(slice, starts, ends)))
        known: list[Any] = list(map(_drawn_by_content.get, zip(zip(repeat(repr(filters)), raws))))
        for i, (drawing, length, keyword) in enumerate(zip(known, lengths, places)):
            if drawing is None:  # not seen yet, or too long to remember
                dictionary = {"/Length": length}
                if filters is not None:
                    dictionary["/Filter"] = filters
                known[i] = _drawing(doc, [Stream(dictionary, keyword)])
        out.update(zip(named, known))
        if 0 in indices:
            first = lengths[indices.index(0)]
    return out, first


_DIRECT_SPACES = _NAMED_DIRECTLY | {"/Lab"}
#: (colour space, bits, filters, image mask) -> colour, for images whose dictionary says them
_mode_of: dict[tuple[Any, Any, str, Any], str] = {}


def _images(doc: Document, numbers: list[int]) -> dict[int, tuple[int, int, str] | None]:
    """(width, height, colour) of each image XObject; None when it has no pixels."""
    segments, keywords = _segments(doc, numbers, streams=True)
    out: dict[int, tuple[int, int, str] | None] = {}
    for root, _, named, group, _ in _grouped(numbers, segments, keywords):
        d = root[1]
        if d.get("/Subtype") != ("lit", "/Image"):
            raise Unsure("an XObject that is no image")
        widths = _column(d.get("/Width"), group, "an image's /Width", ref=False)
        heights = _column(d.get("/Height"), group, "an image's /Height", ref=False)
        space, filters = _literal(d.get("/ColorSpace")), _literal(d.get("/Filter"))
        mask = _literal(d.get("/ImageMask"))
        if space is not None and space not in _DIRECT_SPACES:
            raise Unsure("a colour space the image's dictionary does not say")
        bits_node = d.get("/BitsPerComponent")
        if bits_node is None or bits_node == ("lit", None):
            bits: list[Any] = [None] * len(group)
        elif bits_node[0] == "int":
            bits = _ints(group, bits_node[1], bits_node[2])
        elif bits_node[0] == "float":
            bits = [_value(bits_node, s) for s in group]
        else:
            raise Unsure("image /BitsPerComponent")
        modes = {depth: _image_mode(doc, space, depth, filters, mask) for depth in set(bits)}
        found = zip(widths, heights, map(modes.__getitem__, bits))
        if min(widths) > 0 and min(heights) > 0:
            out.update(zip(named, found))
        else:
            out.update((n, f if f[0] > 0 and f[1] > 0 else None) for n, f in zip(named, found))
    return out


def _image_mode(doc: Document, space: Any, bits: Any, filters: Any, mask: Any) -> str:
    """The colour of an image whose dictionary says these, as pdfpages._mode reads it."""
    kind = (space, bits, repr(filters), mask)
    mode = _mode_of.get(kind)
    if mode is None:
        said = {"/ColorSpace": space, "/BitsPerComponent": bits, "/Filter": filters}
        said["/ImageMask"] = mask
        present = {key: value for key, value in said.items() if value is not None}
        mode = _mode_of[kind] = _mode(doc, present, {})
    return mode


def read_figures(doc: Document, tree: dict, declared: int) -> list[tuple[float | None, str]]:
    """Each page's resolution (its sharpest image) and colour (its richest image), as
    pdfpages._figures reads them; Unsure for what this reader does not read."""
    leaves = _Leaves(doc, tree, declared)
    contents = list(map(leaves.contents.__getitem__, leaves.order))
    maps = list(map(leaves.xobjects.__getitem__, leaves.order))
    drawn, first_size = _drawings(doc, list(dict.fromkeys(contents)))
    drawings = list(map(drawn.__getitem__, contents))
    if drawings[0][1] or first_size > _MAX_TEXT_PAGE:
        raise Unsure("the first page may show text: read with the page open")
    refs = list(dict.fromkeys(chain.from_iterable(map(dict.values, maps))))
    images = _images(doc, refs) if refs else {}
    if drawings.count(drawings[0]) == len(drawings) and len(drawings[0][0]) == 1:
        name, across, up = drawings[0][0][0]  # every page draws one image, the same way
        placed: list[Any] = list(map(dict.get, maps, repeat(name)))
        seen: list[Any] = list(map(images.get, placed)) if None not in placed else [None]
        if None not in seen and across >= 1e-6 and up >= 1e-6:
            dpis = map(
                min,
                map(truediv, map(itemgetter(0), seen), repeat(across / 72)),
                map(truediv, map(itemgetter(1), seen), repeat(up / 72)),
            )
            return list(zip(dpis, map(itemgetter(2), seen)))
    return _page_by_page(drawings, maps, images)


def _page_by_page(
    drawings: list[Drawing], maps: list[dict[str, int]], images: dict[int, Any]
) -> list[tuple[float | None, str]]:
    """Each page's figures, its drawing's placements one by one."""
    out: list[tuple[float | None, str]] = []
    for (placements, _), found in zip(drawings, maps):
        best: float | None = None
        modes: list[str] = []
        for name, across, up in placements:
            ref = found.get(name)
            seen = images[ref] if ref is not None else None
            if seen is None or across < 1e-6 or up < 1e-6:
                continue
            dpi = min(seen[0] / (across / 72), seen[1] / (up / 72))
            best = dpi if best is None or dpi > best else best
            if seen[2]:
                modes.append(seen[2])
        if len(modes) > 1:
            modes = [max(dict.fromkeys(modes), key=color_rank)]  # the first richest, as max
        out.append((best, modes[0] if modes else ""))
    return out
