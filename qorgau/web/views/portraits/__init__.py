from qorgau.web.views.portraits import panels

__all__ = ["panels"]
