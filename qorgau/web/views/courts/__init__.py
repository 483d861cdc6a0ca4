from qorgau.web.views.courts import panels

__all__ = ["panels"]
