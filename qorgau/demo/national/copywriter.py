"""Rows into PostgreSQL with COPY, in the column order of `tables.TABLES`: text encoding of
values and the sealed audit chain of the rows written."""

import datetime
import decimal
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from qorgau.demo.national.tables import TABLES as TABLES  # re-exported


def _escape(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t")
        return value.replace("\n", "\\n").replace("\r", "\\r")
    return value


# The audit chain's canonical JSON (audit/chain.py): compact, keys sorted. jsonb does not keep
# the text, so COPY gets the same text and the hash reuses it.
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_STR = json.encoder.encode_basestring


def _json(value: Any) -> str:
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return _escape(_ENCODE(value))


_FORMAT: dict[type, Any] = {
    str: _escape,
    bool: lambda v: "t" if v else "f",
    int: str,
    float: repr,
    decimal.Decimal: str,
    datetime.datetime: datetime.datetime.isoformat,
    datetime.date: datetime.date.isoformat,
    dict: _json,
    list: _json,
    type(None): lambda v: "\\N",
    bytes: lambda v: "\\\\x" + v.hex(),
}


def _int(value: int) -> str:
    return str(int(value))


def text(value: Any) -> str:
    """One value in COPY's text format."""
    formatter = _FORMAT.get(type(value))
    if formatter is not None:
        return str(formatter(value))
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):  # TextChoices members: remembered for the next rows
        _FORMAT[type(value)] = _escape
        return _escape(str(value))
    if isinstance(value, int):
        _FORMAT[type(value)] = _int
        return str(int(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"No COPY form for {type(value).__name__}")


AUDIT = "audit_auditevent"
_FIELDS: dict[tuple[str, ...], str] = {}  # the JSON of each list of changed fields, made once
_CHAINED = len(TABLES[AUDIT]) - 3  # the values before chain_seq, prev_hash and row_hash


def _utc(moment: datetime.datetime) -> str:
    """chain._time: UTC, always with microseconds, a Z at the end."""
    plain = moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat()
    return plain + "Z" if moment.microsecond else plain + ".000000Z"


def _canonical(row: Sequence[Any], fields: str, changes: str, details: str) -> tuple[bytes, bytes]:
    """chain.canonical of an audit row, from the JSON texts already made for COPY, in the two
    parts around its `chain_seq` (the keys are sorted: it comes between `at` and `changes`),
    which only the writer knows.

    `row` is (id, at, actor_name, actor_agency, action, subject_type, subject_id,
    subject_label, fields, changes, details, channel, ip_address, user_agent, actor_id);
    tests/demo compares the result with chain.canonical.
    """
    actor_id = row[14]
    ip = row[12]
    before = (
        f'{{"action":{_STR(row[4])},"actor_agency":{_STR(row[3])},'
        f'"actor_id":{"null" if actor_id is None else int(actor_id)},'
        f'"actor_name":{_STR(row[2])},"at":"{_utc(row[1])}"'
    )
    after = (
        f',"changes":{changes},"channel":{_STR(row[11])},"details":{details},'
        f'"fields":{fields},"ip_address":{"null" if ip is None else _STR(ip)},'
        f'"subject_id":{_STR(str(row[6]))},"subject_label":{_STR(row[7])},'
        f'"subject_type":{_STR(row[5])},"user_agent":{_STR(row[13])}}}'
    )
    return before.encode("utf-8"), after.encode("utf-8")


class Rows:
    """The rows of one chunk, per table, written with one COPY per table.

    Audit rows wait for their place in the hash chain: `chain` links them, in the order they
    were added (their id order), after the head of the rows loaded before them.
    """

    def __init__(self) -> None:
        self.lines: dict[str, list[str]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        # (COPY line without the chain columns, canonical form before and after chain_seq)
        self.unchained: list[tuple[str, bytes, bytes]] = []

    def add(self, table: str, row: Sequence[Any]) -> None:
        if table == AUDIT:
            self._add_audit(row)
            return
        columns = TABLES[table]
        if len(row) != len(columns):
            raise ValueError(f"{table}: {len(row)} values for {len(columns)} columns")
        fmt = _FORMAT
        try:
            line = "\t".join([fmt[type(v)](v) for v in row])
        except KeyError:
            line = "\t".join([text(v) for v in row])
        self.lines[table].append(line)
        self.counts[table] += 1

    def _add_audit(self, row: Sequence[Any]) -> None:
        if len(row) != _CHAINED:
            raise ValueError(f"{AUDIT}: {len(row)} values for {_CHAINED} columns before the hashes")
        names = tuple(row[8])
        fields = _FIELDS.get(names)
        if fields is None:
            fields = _FIELDS[names] = _ENCODE(row[8]) if names else "[]"
        changes, details = (
            _ENCODE(row[9]) if row[9] else "{}",
            _ENCODE(row[10]) if row[10] else "{}",
        )
        e = _escape
        ip, actor = row[12], row[14]
        line = "\t".join(
            (
                str(row[0]),
                row[1].isoformat(),
                e(row[2]),
                e(row[3]),
                e(row[4]),
                e(row[5]),
                e(str(row[6])),
                e(row[7]),
                e(fields),
                e(changes),
                e(details),
                e(row[11]),
                "\\N" if ip is None else e(str(ip)),
                e(row[13]),
                "\\N" if actor is None else str(actor),
            )
        )
        self.unchained.append((line, *_canonical(row, fields, changes, details)))
        self.counts[AUDIT] += 1

    def chain(self, head: tuple[int, str]) -> tuple[int, str]:
        """Seal the waiting audit rows, in the order they were added (their id order), after
        the chain's head (its chain_seq and row_hash): give each its chain_seq, prev_hash and
        row_hash (audit/chain.py, version 2). Returns the new head."""
        lines = self.lines[AUDIT]
        sha = hashlib.sha256
        seq, prev = head
        for line, before, after in self.unchained:
            seq += 1
            canonical = b'%s,"chain_seq":%d%s' % (before, seq, after)
            row_hash = sha(prev.encode("ascii") + b"\n" + canonical).hexdigest()
            lines.append(f"{line}\t{seq}\t{prev}\t{row_hash}")
            prev = row_hash
        self.unchained = []
        return seq, prev

    def extend(self, table: str, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.add(table, row)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def copy_into(self, cursor: Any) -> None:
        """COPY every table (parents first) through a psycopg 3 cursor."""
        if self.unchained:
            raise RuntimeError("audit rows not linked into the chain: call chain() first")
        for table, columns in TABLES.items():
            lines = self.lines.get(table)
            if not lines:
                continue
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                copy.write(lines if isinstance(lines, str) else "\n".join(lines) + "\n")

    def freeze(self) -> "Rows":
        """Each table's lines as one text (cheaper to hand from a maker process to the writer)."""
        for table, lines in list(self.lines.items()):
            if isinstance(lines, list):
                self.lines[table] = "\n".join(lines) + "\n" if lines else ""  # type: ignore[assignment]
        return self
