"""nglarisi: group photos, logo and documents; yearly re-curation reminder; contact phone BERHENTI (issue 18)

Revision ID: ngl2files
Revises: nglarisi01
Create Date: 2026-12-06 16:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'ngl2files'
down_revision = 'nglarisi01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('nglarisi_group_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('caption', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('image_key', sa.String(length=16), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(), nullable=True),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['checked_by_id'], ['users.id'], name=op.f('fk_nglarisi_group_files_checked_by_id_users')),
    sa.ForeignKeyConstraint(['group_id'], ['nglarisi_groups.id'], name=op.f('fk_nglarisi_group_files_group_id_nglarisi_groups')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_nglarisi_group_files_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nglarisi_group_files')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_nglarisi_group_files_stored_name'))
    )
    with op.batch_alter_table('nglarisi_group_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nglarisi_group_files_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nglarisi_group_files_image_key'), ['image_key'], unique=False)
    with op.batch_alter_table('nglarisi_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recurate_reminded_for', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('contact_whatsapp_stopped_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('nglarisi_groups', schema=None) as batch_op:
        batch_op.drop_column('contact_whatsapp_stopped_at')
        batch_op.drop_column('recurate_reminded_for')
    with op.batch_alter_table('nglarisi_group_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nglarisi_group_files_image_key'))
        batch_op.drop_index(batch_op.f('ix_nglarisi_group_files_group_id'))
    op.drop_table('nglarisi_group_files')
