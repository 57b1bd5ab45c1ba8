"""proposals: drop the indexes on need_id and on status alone; (need_id, offer_id) and
(status, need_id, score) begin with those columns and serve the same look-ups, and each extra
index cost a run time when it stored 20,000 proposals and superseded the previous run's

Revision ID: speed3a01
Revises: speed2a01
Create Date: 2026-12-06 20:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'speed3a01'
down_revision = 'speed2a01'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_proposals_need_id', table_name='proposals')
    op.drop_index('ix_proposals_status', table_name='proposals')


def downgrade():
    op.create_index('ix_proposals_status', 'proposals', ['status'], unique=False)
    op.create_index('ix_proposals_need_id', 'proposals', ['need_id'], unique=False)
