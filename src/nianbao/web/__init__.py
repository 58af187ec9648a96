"""``nianbao serve``: the review web app (pages in Chinese, a JSON twin of each under ``/api/``)."""
from .app import StartupRefused, check_startup, create_app

__all__ = ["create_app", "check_startup", "StartupRefused"]
