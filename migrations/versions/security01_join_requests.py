"""join requests: joining an existing organisation or kampung needs its members' (or staff's) approval

Revision ID: security01
Revises: notify01
Create Date: 2026-12-06 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'security01'
down_revision = 'notify01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('join_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('kampung_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_join_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['kampung_id'], ['kampung.id'], name=op.f('fk_join_requests_kampung_id_kampung')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_join_requests_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_join_requests_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_join_requests')),
    sa.UniqueConstraint('user_id', name=op.f('uq_join_requests_user_id'))
    )
    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_join_requests_kampung_id'), ['kampung_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_join_requests_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_join_requests_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_join_requests_status'))
        batch_op.drop_index(batch_op.f('ix_join_requests_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_join_requests_kampung_id'))

    op.drop_table('join_requests')
