from qorgau.web.views.probation import panels

__all__ = ["panels"]
