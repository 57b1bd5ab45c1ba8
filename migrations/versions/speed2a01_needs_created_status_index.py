"""needs: (created_at, id, status) index, so an old link's deep page (OFFSET) is found by an
index-only scan before its twenty rows are read

Revision ID: speed2a01
Revises: ngl2files
Create Date: 2026-12-06 17:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'speed2a01'
down_revision = 'ngl2files'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_needs_created_status', 'needs', ['created_at', 'id', 'status'], unique=False)


def downgrade():
    op.drop_index('ix_needs_created_status', table_name='needs')
