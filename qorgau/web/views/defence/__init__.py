from qorgau.web.views.defence import panels

__all__ = ["panels"]
