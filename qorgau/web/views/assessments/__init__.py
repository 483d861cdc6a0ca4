from qorgau.web.views.assessments import panels

__all__ = ["panels"]
