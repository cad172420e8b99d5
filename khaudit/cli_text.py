"""The command line's words in khaudit's language, chosen when they are shown.

Help texts are given to click as catalogue keys ("help.audit") and looked up only when help is
printed, so the language can be set after the commands were built: ``khaudit --lang en audit
--help`` and ``khaudit audit --help --lang en`` both answer in English. ``--lang`` is taken
from anywhere on the command line before click parses it (:func:`hoist_lang`).

click's own words ("Usage:", "Error: Missing argument 'PROJECT'.", "Try 'khaudit --help' for
help.") go through ``gettext``; :func:`install_click_translation` gives click's modules a
translation function that looks click's messages up in khaudit's catalogues.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import click

from .i18n import LANGUAGES, catalogue, t

#: click's messages (its gettext msgids) and the catalogue key of each. A message not listed
#: stays as click wrote it.
CLICK_MESSAGES = {
    "Usage:": "help.click.usage",
    "Options": "help.click.options",
    "Commands": "help.click.commands",
    "Positional arguments": "help.click.arguments",
    "Show this message and exit.": "help.click.help",
    "Show the version and exit.": "help.version",
    "default: {default}": "click.default",
    "env var: {var}": "click.env_var",
    "Error: {message}": "click.error",
    "Try '{command} {option}' for help.": "click.try_help",
    "Missing argument": "click.missing_argument",
    "Missing option": "click.missing_option",
    "Missing parameter": "click.missing_parameter",
    "Missing command.": "click.missing_command",
    "Invalid value: {message}": "click.invalid_value",
    "Invalid value for {param_hint}: {message}": "click.invalid_value_for",
    "No such command {name!r}.": "click.no_such_command",
    "No such option {name!r}.": "click.no_such_option",
    "Option {name!r} does not take a value.": "click.option_no_value",
    "{value!r} is not a valid {number_type}.": "click.not_a_number",
    "{value} is not in the range {range}.": "click.not_in_range",
    "{name} {filename!r} does not exist.": "click.path_missing",
    "{name} {filename!r} is a file.": "click.path_is_file",
    "{name} {filename!r} is a directory.": "click.path_is_dir",
    "Aborted!": "click.aborted",
}

#: Plural messages (ngettext): the singular msgid and the key of each form.
CLICK_PLURALS = {
    "Got unexpected extra argument ({args})": ("click.extra_argument", "click.extra_arguments"),
    "Did you mean {possibility}?": ("click.did_you_mean", "click.possible_options"),
    "{value!r} is not {choice}.": ("click.not_choice", "click.not_one_of"),
    "{value!r} does not match the format {format}.": ("click.date_format", "click.date_formats"),
    "Option {name!r} requires an argument.": (
        "click.option_requires_argument",
        "click.option_requires_arguments",
    ),
}


def _gettext(message: str) -> str:
    key = CLICK_MESSAGES.get(message)
    return t(key) if key else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    keys = CLICK_PLURALS.get(singular)
    if keys is None:
        return singular if n == 1 else plural
    return t(keys[0] if n == 1 else keys[1])


def install_click_translation() -> None:
    """Give click's modules khaudit's translation functions in place of ``gettext``'s.

    click binds ``gettext`` and ``ngettext`` by name in each module; the names are looked up
    when a message is made, so replacing them there is enough (and touches no other library).
    """
    import importlib

    for name in ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


def hoist_lang(args: Sequence[str]) -> list[str]:
    """The command line with every ``--lang X`` (before ``--``) taken out and the last one put
    first, where the main command reads it: so ``--lang`` works after any subcommand, even one
    that has no such option, and an unknown language is refused by the main command's check."""
    words, chosen, i = list(args), None, 0
    kept: list[str] = []
    while i < len(words):
        word = words[i]
        if word == "--":
            kept += words[i:]
            break
        if word == "--lang" and i + 1 < len(words):
            chosen, i = words[i + 1], i + 2
            continue
        if word.startswith("--lang="):
            chosen = word.partition("=")[2]
        else:
            kept.append(word)
        i += 1
    return kept if chosen is None else ["--lang", chosen, *kept]


def shown(text: str | None) -> str | None:
    """A help text as shown: a catalogue key is looked up now, anything else kept."""
    if text and text in catalogue("vi"):
        return t(text)
    return text


@contextlib.contextmanager
def _resolved(objects: Sequence[Any], *attributes: str) -> Iterator[None]:
    """Show the objects' help attributes translated for the time of a help page."""
    saved = [(o, a, getattr(o, a, None)) for o in objects for a in attributes]
    for obj, attr, value in saved:
        if isinstance(value, str):
            setattr(obj, attr, shown(value))
    try:
        yield
    finally:
        for obj, attr, value in saved:
            setattr(obj, attr, value)


#: The notes click adds after an option's help, "[default: 3; required]", item by item.
_EXTRAS = (
    ("default: ", "help.click.default"),
    ("env var: ", "help.click.env_var"),
    ("required", "help.click.required"),
)


#: click's names for the kind of value an option takes ("--out DIRECTORY"), longest first.
_METAVARS = (
    ("INTEGER RANGE", "help.click.metavar.integer"),
    ("FLOAT RANGE", "help.click.metavar.float"),
    ("INTEGER", "help.click.metavar.integer"),
    ("FLOAT", "help.click.metavar.float"),
    ("TEXT", "help.click.metavar.text"),
    ("DIRECTORY", "help.click.metavar.directory"),
    ("FILENAME", "help.click.metavar.file"),
    ("FILE", "help.click.metavar.file"),
    ("PATH", "help.click.metavar.path"),
)


def _translated_term(term: str) -> str:
    """An option as listed ("--out DIRECTORY") with click's name of its value's kind in
    khaudit's language; a name the command chose itself (RUN_ID, tcp://HOST:8786) is kept."""
    for english, key in _METAVARS:
        if term.endswith(" " + english):
            return term[: -len(english)] + t(key)
    return term


def _translated_extras(text: str) -> str:
    """An option's help with click's trailing "[...]" notes in khaudit's language."""
    head, sep, notes = text.rpartition("[")
    if not notes.endswith("]") or (head and not head.endswith("  ")):
        return text
    items = []
    for item in notes[:-1].split("; "):
        for english, key in _EXTRAS:
            if item.startswith(english):
                item = t(key) + _number(item[len(english) :])
                break
        else:  # a range ("0<=x<=0.9"), or a default click already said in khaudit's words
            said, _, value = item.rpartition(": ")
            item = f"{said}: {_number(value)}" if said else _number(item)
        items.append(item)
    return f"{head}{sep}{'; '.join(items)}]"


def _number(text: str) -> str:
    """A default or a range of numbers with the language's decimal mark ("0,9" in
    Vietnamese); any other text as it is."""
    import re

    from .i18n import language

    if language() != "vi" or not re.fullmatch(r"[-\d.<=x]+", text):
        return text
    return re.sub(r"(\d)\.(\d)", r"\1,\2", text)


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it ($COLUMNS, then the
    terminal, else 80), without importing shutil, and bz2 and lzma with it, for a help page."""
    import os
    import sys

    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class HelpFormatter(click.HelpFormatter):
    """click's help layout with its words in khaudit's language."""

    def __init__(
        self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None
    ) -> None:
        if width is None and click.formatting.FORCED_WIDTH is None:
            width = max(min(_columns(), max_width or 80) - 2, 50)  # as click's own default
        super().__init__(indent_increment, width, max_width)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, t("help.click.usage") + " " if prefix is None else prefix)

    def section(self, name: str) -> Any:  # a context manager, as click's
        return super().section(_gettext(name))

    def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
        rows = [(_translated_term(term), _translated_extras(text)) for term, text in rows]
        super().write_dl(rows, *args, **kwargs)


class Context(click.Context):
    formatter_class = HelpFormatter


class Translated:
    """Commands and groups whose help is looked up when shown (see the module's docstring)."""

    context_class: type[click.Context] = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "help.click.options_metavar")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = t("help.click.help")
        return option

    def get_help(self, ctx: click.Context) -> str:
        params = self.get_params(ctx)  # type: ignore[attr-defined]
        own = _resolved([self], "help", "options_metavar", "subcommand_metavar")
        with own, _resolved(params, "help"):
            return super().get_help(ctx)  # type: ignore[misc]

    def get_usage(self, ctx: click.Context) -> str:
        with _resolved([self], "options_metavar", "subcommand_metavar"):
            return super().get_usage(ctx)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        with _resolved([self], "help", "short_help"):
            return super().get_short_help_str(limit)  # type: ignore[misc]


class Command(Translated, click.Command):
    pass


class Group(Translated, click.Group):
    command_class = Command
    group_class = type  # subgroups are translated groups too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "help.click.subcommand_metavar")
        super().__init__(*args, **kwargs)

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        """Speak the language of any ``--lang`` on the command line, from the first word."""
        import sys

        from .i18n import language, set_language

        words = hoist_lang(sys.argv[1:] if args is None else args)
        before = language()
        if words[:1] == ["--lang"] and words[1] in LANGUAGES:
            set_language(words[1])
        try:
            return super().main(words, *rest, **kwargs)
        finally:
            set_language(before)
