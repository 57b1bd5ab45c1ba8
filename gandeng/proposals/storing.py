"""Storing a run's proposals in bulk: one pass over the engine's proposals into plain rows, then
COPY on PostgreSQL (executemany elsewhere). At 20,000 proposals the Python side of this used to
cost as much as the database's; rows are tuples, JSON encoders are built once."""
import json
import threading
from contextlib import contextmanager

from sqlalchemy import insert

from gandeng.proposals.models import Proposal, ProposalStatus

# Columns written: every NOT NULL column of proposals without a server default, in this order.
COLUMNS = ("run_id", "need_id", "offer_id", "amount_rp", "score", "breakdown", "reasons", "status", "reason",
           "created_at", "alternatives")
_BREAKDOWN_JSON = json.JSONEncoder().encode
_REASONS_JSON = json.JSONEncoder(ensure_ascii=False).encode  # Indonesian text stays readable


def proposal_rows(run_id: int, proposals, parts, now, alternatives: dict | None = None) -> list[tuple]:
    """The engine's proposals as rows in COLUMNS order: Rp as int, the score clamped to [0, 1], the
    breakdown with every part (0.0 for a missing one), the reasons as codes with their parameters,
    and the need's next-best offers (`alternatives`, by need id)."""
    status = str(ProposalStatus.PROPOSED)
    alternatives = alternatives or {}
    return [
        (run_id, p.need_id, p.offer_id, int(p.amount_rp), min(max(float(p.score), 0.0), 1.0),
         {part: float(p.breakdown.get(part, 0.0)) for part in parts}, [r.as_dict() for r in p.reasons],
         status, "", now, alternatives.get(p.need_id, []))
        for p in proposals
    ]


def insert_proposals(session, rows: list[tuple]) -> None:
    """Insert the rows: COPY on PostgreSQL (about twice as fast as a multi-row INSERT), one
    executemany INSERT elsewhere."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(Proposal), [dict(zip(COLUMNS, row)) for row in rows])
        return
    breakdown_at, reasons_at = COLUMNS.index("breakdown"), COLUMNS.index("reasons")
    alternatives_at = COLUMNS.index("alternatives")
    # A need's alternatives (~1 KB of JSON) are the same list on each of its proposals (1.75 a need
    # at 20k x 10k): encoded once per need. Keyed by the list's identity, alive in `rows` meanwhile.
    alternatives_text: dict[int, str] = {}
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {Proposal.__tablename__} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                row = list(row)
                row[breakdown_at] = _BREAKDOWN_JSON(row[breakdown_at])
                row[reasons_at] = _REASONS_JSON(row[reasons_at])
                alternatives = row[alternatives_at]
                text = alternatives_text.get(id(alternatives))
                if text is None:
                    text = alternatives_text[id(alternatives)] = _REASONS_JSON(alternatives)
                row[alternatives_at] = text
                write(row)


@contextmanager
def meanwhile_on_the_connection(session, statement):
    """Execute `statement` in the session's transaction while the block runs, on PostgreSQL.

    The database supersedes the previous run's open proposals (0.3-0.5 s at 20,000) while Python
    turns the engine's proposals into rows (0.3 s): psycopg waits for the server without holding
    the GIL. Only the helper thread uses the connection until the block ends; its error, if any,
    is raised then. Elsewhere (SQLite connections belong to their thread) it runs first, inline.
    The statement goes through the Connection: the ORM objects it changes are expired at the
    run's commit.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(statement)
        yield
        return
    failure: list[BaseException] = []

    def work():
        try:
            connection.execute(statement)
        except BaseException as error:  # noqa: BLE001 — handed to the caller's thread below
            failure.append(error)

    helper = threading.Thread(target=work, name="gandeng-supersede", daemon=True)
    helper.start()
    try:
        yield
    finally:
        helper.join()
    if failure:
        raise failure[0]
