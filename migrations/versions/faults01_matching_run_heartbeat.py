"""matching runs: heartbeat_at (the worker's last sign of life; a silent run is failed after 60 s)

Revision ID: faults01
Revises: 00be2941628b
Create Date: 2026-12-06 10:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'faults01'
down_revision = '00be2941628b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('matching_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('matching_runs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
