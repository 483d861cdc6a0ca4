from qorgau.web.views.mediation import panels

__all__ = ["panels"]
