"""keyset paging indexes and text search

The lists page by (created_at, id), newest first: a composite index for needs, offers and the audit
log (collaborations have one already). Text search: on PostgreSQL the pg_trgm extension and a GIN
trigram index over each searched table's own text; on SQLite an FTS5 trigram table per searched
table kept in step by triggers (see gandeng/search.py, which holds the same statements).

Revision ID: lists01
Revises: speed01
Create Date: 2026-12-06 10:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'lists01'
down_revision = 'speed01'
branch_labels = None
depends_on = None

KEYSET_INDEXES = (
    ("needs", "ix_needs_created"),
    ("offers", "ix_offers_created"),
    ("audit_events", "ix_audit_events_created"),
)
SEARCHED = ("needs", "offers")


def upgrade():
    for table, name in KEYSET_INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, ["created_at", "id"], unique=False)

    from gandeng.search import install_postgres_search, install_sqlite_search

    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        install_sqlite_search(connection)
    elif connection.dialect.name == "postgresql":
        if not install_postgres_search(connection):
            print("pg_trgm could not be created by this role: text search works without its index "
                  "(ask the database owner to run CREATE EXTENSION pg_trgm, then flask --app app init-db)")


def downgrade():
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for table in SEARCHED:
            for trigger in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{trigger}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
    elif connection.dialect.name == "postgresql":
        for table in SEARCHED:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_trgm")
    for table, name in reversed(KEYSET_INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
