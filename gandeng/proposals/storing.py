"""Storing a run's proposals in bulk: one pass over the engine's proposals into plain rows, then
COPY on PostgreSQL (executemany elsewhere). At 20,000 proposals the Python side of this used to
cost as much as the database's; rows are tuples, the JSON columns encoded by orjson.

On PostgreSQL a run's proposals are streamed (`CopyStream`): the superseding of the previous
run's open proposals starts with the engine, and each block of proposals is copied as the engine
explains it, so the database works on its own core while the engine does: storing 17,500
proposals (1.3 s of the database's own time) then adds a fraction of that to the run."""
import queue
import threading
import time
from datetime import datetime
from functools import partial

from sqlalchemy import insert

from gandeng.db import utcnow
from gandeng.proposals.models import Proposal, ProposalStatus

# Columns written: every NOT NULL column of proposals without a server default, in this order.
COLUMNS = ("run_id", "need_id", "offer_id", "amount_rp", "score", "breakdown", "reasons", "status", "reason",
           "created_at", "alternatives")
COPY_SQL = f"COPY {Proposal.__tablename__} ({', '.join(COLUMNS)}) FROM STDIN"
_AMOUNT_AT = COLUMNS.index("amount_rp")


def dumps(value) -> str:
    """JSON text (UTF-8 kept: Indonesian stays readable), by orjson: the standard library's encoder
    took 0.6 s of a 20k x 10k run's storing. numpy numbers and non-text keys are written as the
    standard library would; NaN becomes null (which PostgreSQL's json accepts, unlike NaN)."""
    import orjson  # loaded by the first run that stores, not by every start of the app (issue 15: light start)

    return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS).decode()


def _reason_dicts(reasons) -> list[dict]:
    """matching.Reason tuples in their stored form (Reason.as_dict, without copying the params)."""
    return [{"code": code, "params": params, "negative": negative} for code, params, negative in reasons]


def proposal_rows(run_id: int, proposals, parts, now, alternatives: dict | None = None) -> list[tuple]:
    """The engine's proposals as rows in COLUMNS order: Rp as int, the score clamped to [0, 1], the
    breakdown with every part (0.0 for a missing one), the reasons as codes with their parameters,
    and the need's next-best offers (`alternatives`, by need id)."""
    status = str(ProposalStatus.PROPOSED)
    alternatives = alternatives or {}
    return [
        (run_id, p.need_id, p.offer_id, int(p.amount_rp), min(max(float(p.score), 0.0), 1.0),
         {part: float(p.breakdown.get(part, 0.0)) for part in parts}, _reason_dicts(p.reasons),
         status, "", now, alternatives.get(p.need_id, []))
        for p in proposals
    ]


def alternatives_by_need(alternatives) -> dict[int, list[dict]]:
    """The engine's next-best offers (matching.Alternative) per need, as stored on the need's
    proposals."""
    out: dict[int, list[dict]] = {}
    for a in alternatives:
        out.setdefault(a.need_id, []).append({
            "offer_id": a.offer_id, "score": float(a.score),
            "breakdown": {k: float(v) for k, v in a.breakdown.items()},
            "reasons": _reason_dicts(a.reasons), "lost": _reason_dicts(a.lost),
        })
    return out


def insert_proposals(session, rows: list[tuple]) -> None:
    """Insert proposal_rows: COPY on PostgreSQL (about twice as fast as a multi-row INSERT), one
    executemany INSERT elsewhere."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(Proposal), [dict(zip(COLUMNS, row)) for row in rows])
        return
    copy_data(copy_text(rows, connection.connection.driver_connection.info.encoding), connection)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    """A value in COPY's text format: NULL as \\N; backslash, tab, newline, return escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).translate(_ESCAPES)


def _json_text(value) -> str:
    """JSON in COPY's text format: JSON text has no raw tab, newline or return; only its own
    backslashes need doubling."""
    return dumps(value).replace("\\", "\\\\")


def copy_text(rows: list[tuple], encoding: str) -> bytes:
    """proposal_rows in COPY's text format (PostgreSQL's documented rules), encoded for the
    connection (`encoding`: its Python codec). Made here, without the connection, so that it can
    be made while another thread uses it. A need's alternatives (~1 KB of JSON) are the same
    list on each of its proposals (1.75 a need at 20k x 10k): encoded once per need, keyed by the
    list's identity (alive in `rows` meanwhile)."""
    alternatives_text: dict[int, str] = {}
    shared: dict[tuple, tuple[str, str]] = {}  # a run's rows share run, status, reason and time
    lines = []
    for run_id, need_id, offer_id, amount, score, breakdown, reasons, status, reason, created, others in rows:
        text = alternatives_text.get(id(others))
        if text is None:
            text = alternatives_text[id(others)] = _json_text(others)
        same = shared.get((run_id, status, reason, created))
        if same is None:
            same = shared[(run_id, status, reason, created)] = (
                _text(run_id), f"{_text(status)}\t{_text(reason)}\t{_text(created)}")
        lines.append(f"{same[0]}\t{int(need_id)}\t{int(offer_id)}\t{int(amount)}\t{float(score)!r}\t"
                     f"{_json_text(breakdown)}\t{_json_text(reasons)}\t{same[1]}\t{text}\n")
    return "".join(lines).encode(encoding)


def copy_data(data: bytes, connection) -> None:
    """One COPY of copy_text's data on a SQLAlchemy Connection (PostgreSQL)."""
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(COPY_SQL) as copy:
            copy.write(data)


class OnTheConnection:
    """Work done in the session's transaction by one helper thread, job after job in the order
    submitted, while the caller's thread goes on (PostgreSQL: psycopg waits for the server without
    holding the GIL, and the server works on its own core). A job is `job(connection)`, with the
    session's SQLAlchemy Connection; after a failed job the rest are skipped. Nothing else may use
    the session until `finish()`, which waits for the job at work and raises the failure, if any;
    `finish(cancel=True)` drops the jobs still waiting. Finishing twice is harmless."""

    def __init__(self, session):
        self.connection = session.connection()
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._failure: BaseException | None = None
        self._cancelled = False
        self._thread = threading.Thread(target=self._work, name="gandeng-storing", daemon=True)
        self._thread.start()

    def submit(self, job) -> None:
        self._jobs.put(job)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._failure is None and not self._cancelled:
                try:
                    job(self.connection)
                except BaseException as error:  # noqa: BLE001 — raised in the caller's thread by finish()
                    self._failure = error

    def finish(self, cancel: bool = False) -> None:
        if cancel:
            self._cancelled = True
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()
        if not cancel and self._failure is not None:
            raise self._failure


class CopyStream:
    """A run's proposals stored while the engine explains them (PostgreSQL only).

    Made before the engine starts, in the session's transaction: a helper thread (OnTheConnection)
    first supersedes the previous run's open proposals (`superseding`), then takes each block of
    proposals as the engine hands it over (the stream is the engine's `on_explained`) and sends it
    with a COPY of its own; the rows are encoded and formatted in the engine's thread (copy_text,
    which needs no connection). The database checks each block's foreign keys at the end of its
    COPY: one COPY for the run would leave all of them (a fifth of its time) until after the engine.
    `close()` waits for the last block and raises the helper's failure; `close(error)`, for a run
    that failed anywhere, drops the blocks not sent yet and waits for the one being sent, after
    which the transaction must be rolled back. Closing twice is harmless. Nothing may use the
    session between the stream's making and its close. `seconds`: the time the engine's thread
    spent in the calls; `count`, `amount_rp`: the proposals handed over and their Rp."""

    def __init__(self, session, run_id: int, superseding, parts):
        self.run_id, self.parts = run_id, parts
        self.now = None  # when the engine hands over its first block (SQLite's path: when it stores)
        self.count = self.amount_rp = 0
        self.seconds = 0.0
        self.closed = False
        connection = session.connection()
        self._encoding = connection.connection.driver_connection.info.encoding
        self._storing = OnTheConnection(session)
        # The engine's minutes between the UPDATE and the first COPY leave the transaction idle: a
        # server's idle-in-transaction limit must not end it.
        self._storing.submit(lambda c: c.exec_driver_sql("SET LOCAL idle_in_transaction_session_timeout = 0"))
        self._storing.submit(lambda c: c.execute(superseding))

    def __call__(self, proposals, alternatives) -> None:
        began = time.perf_counter()
        self.now = self.now or utcnow()
        rows = proposal_rows(self.run_id, proposals, self.parts, self.now, alternatives_by_need(alternatives))
        self._storing.submit(partial(copy_data, copy_text(rows, self._encoding)))
        self.count += len(rows)
        self.amount_rp += sum(row[_AMOUNT_AT] for row in rows)
        self.seconds += time.perf_counter() - began

    def close(self, error: BaseException | None = None) -> None:
        if self.closed:
            return
        self.closed = True
        self._storing.finish(cancel=error is not None)


def open_stream(session, run_id: int, superseding, parts) -> CopyStream | None:
    """A CopyStream for the run on PostgreSQL; None elsewhere (the run then stores at the end)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return CopyStream(session, run_id, superseding, parts)
