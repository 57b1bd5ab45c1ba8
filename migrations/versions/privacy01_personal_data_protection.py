"""personal-data protection (issue 19): consent on users and needs, anonymisation time, DPO flag,
privacy requests, incidents

Revision ID: privacy01
Revises: matcher01
Create Date: 2026-12-06 13:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'privacy01'
down_revision = 'matcher01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_version', sa.String(length=16), server_default='', nullable=False))
        batch_op.add_column(sa.Column('consent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('dpo', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('beneficiaries_consent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('beneficiaries_consent_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_needs_beneficiaries_consent_by_id_users'), 'users',
                                    ['beneficiaries_consent_by_id'], ['id'])
    op.create_table(
        'privacy_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('requester_name', sa.String(length=120), nullable=False),
        sa.Column('requester_contact', sa.String(length=254), nullable=False),
        sa.Column('details', sa.Text(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('handled_by_id', sa.Integer(), nullable=True),
        sa.Column('handled_at', sa.DateTime(), nullable=True),
        sa.Column('outcome', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_privacy_requests_handled_by_id_users')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_privacy_requests_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_requests')),
    )
    with op.batch_alter_table('privacy_requests', schema=None) as batch_op:
        batch_op.create_index('ix_privacy_requests_open', ['status', 'due_at'], unique=False)
    op.create_table(
        'privacy_incidents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('what', sa.Text(), nullable=False),
        sa.Column('how', sa.Text(), nullable=False),
        sa.Column('remedy', sa.Text(), nullable=False),
        sa.Column('found_at', sa.DateTime(), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('data_kinds', sa.JSON(), nullable=False),
        sa.Column('need_ids', sa.JSON(), nullable=False),
        sa.Column('people_count', sa.Integer(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('people_notified_at', sa.DateTime(), nullable=True),
        sa.Column('authority_notified_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                                name=op.f('fk_privacy_incidents_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_incidents')),
    )


def downgrade():
    op.drop_table('privacy_incidents')
    with op.batch_alter_table('privacy_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_privacy_requests_open')
    op.drop_table('privacy_requests')
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_needs_beneficiaries_consent_by_id_users'), type_='foreignkey')
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('beneficiaries_consent_by_id')
        batch_op.drop_column('beneficiaries_consent_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('dpo')
        batch_op.drop_column('consent_at')
        batch_op.drop_column('consent_version')
