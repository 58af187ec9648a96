"""``nianbao serve``: the review web app (pages in Chinese, a JSON twin of each under ``/api/``).

Imported lazily: ``nianbao.web.commands`` loads without FastAPI (the ``web`` extra) installed."""

__all__ = ["create_app", "check_startup", "StartupRefused"]


def __getattr__(name):
    if name in __all__:
        from . import app
        return getattr(app, name)
    raise AttributeError(name)
