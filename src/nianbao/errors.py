"""Errors for input nianbao cannot read at all (bilingual message, CLI exit code 2)."""


class InputError(Exception):
    """The input cannot be read as a report: corrupt, empty, wrong encoding, not a report, too big."""

    def __init__(self, code: str, zh: str, en: str):
        super().__init__(f"{zh} ({en})")
        self.code = code
        self.zh = zh
        self.en = en
