"""Storing a run's proposals in bulk: one pass over the engine's proposals into plain rows, then
COPY on PostgreSQL (executemany elsewhere). At 20,000 proposals the Python side of this used to
cost as much as the database's; rows are tuples, the JSON columns encoded by orjson.

On PostgreSQL a run's proposals are streamed (`CopyStream`): the superseding of the previous
run's open proposals starts with the engine, and each block of proposals is copied as the engine
explains it, so the database works on its own core while the engine does: storing 17,500
proposals (1.3 s of the database's own time) then adds a fraction of that to the run."""
import io
import queue
import threading
import time
from functools import partial

import orjson
from sqlalchemy import insert

from gandeng.proposals.models import Proposal, ProposalStatus

# Columns written: every NOT NULL column of proposals without a server default, in this order.
COLUMNS = ("run_id", "need_id", "offer_id", "amount_rp", "score", "breakdown", "reasons", "status", "reason",
           "created_at", "alternatives")
COPY_SQL = f"COPY {Proposal.__tablename__} ({', '.join(COLUMNS)}) FROM STDIN"
_BREAKDOWN_AT, _REASONS_AT, _ALTERNATIVES_AT = (COLUMNS.index(name) for name in ("breakdown", "reasons",
                                                                                 "alternatives"))
_AMOUNT_AT = COLUMNS.index("amount_rp")


def dumps(value) -> str:
    """JSON text (UTF-8 kept: Indonesian stays readable), by orjson: the standard library's encoder
    took 0.6 s of a 20k x 10k run's storing."""
    return orjson.dumps(value).decode()


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


def encoded(rows: list[tuple]) -> list[tuple]:
    """proposal_rows with the JSON columns as text, for COPY. A need's alternatives (~1 KB of JSON)
    are the same list on each of its proposals (1.75 a need at 20k x 10k): encoded once per need,
    keyed by the list's identity (alive in `rows` meanwhile)."""
    alternatives_text: dict[int, str] = {}
    out = []
    for row in rows:
        alternatives = row[_ALTERNATIVES_AT]
        text = alternatives_text.get(id(alternatives))
        if text is None:
            text = alternatives_text[id(alternatives)] = dumps(alternatives)
        out.append((*row[:_BREAKDOWN_AT], dumps(row[_BREAKDOWN_AT]), dumps(row[_REASONS_AT]),
                    *row[_REASONS_AT + 1:_ALTERNATIVES_AT], text))
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
    with connection.connection.driver_connection.cursor() as cursor:
        data = copy_text(encoded(rows), cursor)
    copy_data(data, connection)


def copy_text(rows: list[tuple], cursor) -> bytes:
    """Encoded rows in COPY's text format, made in this thread by psycopg's own formatter (no I/O:
    `cursor`, a psycopg cursor, only lends its adapters)."""
    from psycopg.copy import Copy, FileWriter  # PostgreSQL only: psycopg is loaded then

    out = io.BytesIO()
    with Copy(cursor, binary=False, writer=FileWriter(out)) as copy:
        for row in rows:
            copy.write_row(row)
    return out.getvalue()


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
    the session until `finish()`, which waits for the jobs and raises the failure, if any."""

    def __init__(self, session):
        self.connection = session.connection()
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="gandeng-storing", daemon=True)
        self._thread.start()

    def submit(self, job) -> None:
        self._jobs.put(job)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._failure is None:
                try:
                    job(self.connection)
                except BaseException as error:  # noqa: BLE001 — raised in the caller's thread by finish()
                    self._failure = error

    def finish(self, raise_failure: bool = True) -> None:
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()
        if raise_failure and self._failure is not None:
            raise self._failure


class CopyStream:
    """A run's proposals stored while the engine explains them (PostgreSQL only).

    Made before the engine starts, in the session's transaction: a helper thread (OnTheConnection)
    first supersedes the previous run's open proposals (`superseding`), then takes each block of
    proposals as the engine hands it over (the stream is the engine's `on_explained`) and writes it
    with a COPY of its own (formatted here, sent there): the database checks each block's foreign keys at the end of its COPY,
    so one COPY for the run would leave all of them (a fifth of its time) until after the engine.
    `close()` waits for the last block; `close(error)` only lets the helper finish, after which the
    transaction must be rolled back. Nothing may use the session between the stream's making and
    its close. `seconds`: the time the engine's thread spent in the calls (encoding the rows)."""

    def __init__(self, session, run_id: int, superseding, parts, now):
        self.run_id, self.parts, self.now = run_id, parts, now
        self.count = self.amount_rp = 0
        self.seconds = 0.0
        self._storing = OnTheConnection(session)
        # Lends its adapters to copy_text in this thread; the helper thread does all the I/O.
        self._formatting = self._storing.connection.connection.driver_connection.cursor()
        self._storing.submit(lambda connection: connection.execute(superseding))

    def __call__(self, proposals, alternatives) -> None:
        began = time.perf_counter()
        rows = proposal_rows(self.run_id, proposals, self.parts, self.now, alternatives_by_need(alternatives))
        self._storing.submit(partial(copy_data, copy_text(encoded(rows), self._formatting)))
        self.count += len(rows)
        self.amount_rp += sum(row[_AMOUNT_AT] for row in rows)
        self.seconds += time.perf_counter() - began

    def close(self, error: BaseException | None = None) -> None:
        try:
            self._storing.finish(raise_failure=error is None)
        finally:
            self._formatting.close()


def open_stream(session, run_id: int, superseding, parts, now) -> CopyStream | None:
    """A CopyStream for the run on PostgreSQL; None elsewhere (the run then stores at the end)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return CopyStream(session, run_id, superseding, parts, now)
