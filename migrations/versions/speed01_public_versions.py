"""public versions: the version of the cached public figures

Revision ID: speed01
Revises: security01
Create Date: 2026-12-06 10:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'speed01'
down_revision = 'security01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('public_versions',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_public_versions'))
    )


def downgrade():
    op.drop_table('public_versions')
