"""Errors for input nianbao cannot read at all (bilingual message, CLI exit code 2).

The codes and their messages are entries of the code catalogue (:data:`nianbao.model.codes.INPUT_ERRORS`)::

    raise InputError("bad-encoding")
    raise InputError("too-big", size=n, mb=n // 1048576, limit_mb=MAX_BYTES // 1048576)
"""
from __future__ import annotations


class InputError(Exception):
    """The input cannot be read as a report: corrupt, empty, wrong encoding, not a report, too big.

    ``code`` is a catalogue code, ``params`` the fields of its message templates; ``zh`` and ``en``
    are the messages rendered from the catalogue. (The older form ``InputError(code, zh, en)``
    with literal messages is still accepted.)
    """

    def __init__(self, code: str, zh: str | None = None, en: str | None = None, **params):
        if zh is None or en is None:
            from .model.codes import INPUT_ERRORS
            entry = INPUT_ERRORS[code]
            zh = entry.render(params, "zh") if zh is None else zh
            en = entry.render(params, "en") if en is None else en
        super().__init__(f"{zh} ({en})")
        self.code = code
        self.params = dict(params)
        self.zh = zh
        self.en = en


def input_error(code: str, **params) -> InputError:
    """The :class:`InputError` of catalogue code ``code`` (to raise, or to yield in its input's place)."""
    return InputError(code, **params)
