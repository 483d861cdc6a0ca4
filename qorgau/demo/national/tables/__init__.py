"""Each table the generator fills, with its columns in the order the row builders give them.

Columns are listed explicitly (never `SELECT *` order), so a column another change adds with
a database default (`version`) is filled by PostgreSQL; one that must be computed by the
generator is added here and to its row builder (tests/demo checks every column without a
database default is listed).
"""

from qorgau.demo.national.tables.accompaniment import ACCOMPANIMENT_TABLES
from qorgau.demo.national.tables.cases import CASE_TABLES

__all__ = ["TABLES"]

# Table -> columns, in the order the row builders produce them. The dict's order is the
# order of loading (parents before children): the cases, what hangs on them, the audit rows.
TABLES: dict[str, tuple[str, ...]] = {
    **CASE_TABLES,
    **ACCOMPANIMENT_TABLES,
    "audit_auditevent": (
        "id",
        "at",
        "actor_name",
        "actor_agency",
        "action",
        "subject_type",
        "subject_id",
        "subject_label",
        "fields",
        "changes",
        "details",
        "channel",
        "ip_address",
        "user_agent",
        "actor_id",
        "chain_seq",
        "prev_hash",
        "row_hash",
    ),
}
