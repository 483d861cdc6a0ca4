from qorgau.web.views.plans import panels

__all__ = ["panels"]
