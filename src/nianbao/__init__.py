"""nianbao — Chinese government information-disclosure annual reports as verified, comparable data."""
from .errors import InputError
from .model import CellValue, Diagnostic, Part, Report
from .parsing import parse

__all__ = ["parse", "Report", "CellValue", "Diagnostic", "Part", "InputError"]
__version__ = "0.1.0"

from .rules import check  # noqa: E402
from .rules.registry import Finding  # noqa: E402

__all__ += ["check", "Finding"]

from .store import Corpus  # noqa: E402

__all__ += ["Corpus"]
