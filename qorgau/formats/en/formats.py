# Same formats as Kazakh: dd.mm.yyyy, 24-hour time, space thousands, decimal comma.
from qorgau.formats.kk.formats import *  # noqa: F403
