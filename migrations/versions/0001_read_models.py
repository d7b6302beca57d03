"""The read models and their tracking table (issue 4).

Generated from the SQLAlchemy tables in projections/ and frozen here: later
changes of a table come as new revisions, and tests/projections/test_schema.py
fails if the tables and the migrations ever disagree.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rm_aw_procurements',
    sa.Column('procurement_id', sa.String(length=36), nullable=False),
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('service_item_code', sa.String(length=32), nullable=True),
    sa.Column('method', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('round_no', sa.Integer(), nullable=True),
    sa.Column('signup_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('selection_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('winner_id', sa.String(length=36), nullable=True),
    sa.Column('contract_no', sa.String(length=64), nullable=True),
    sa.Column('contract_amount', sa.String(length=32), nullable=True),
    sa.Column('publicity_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contract_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('service_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('extension_pending', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('procurement_id', name=op.f('pk_rm_aw_procurements'))
    )
    op.create_index(op.f('ix_rm_aw_procurements_winner_id'), 'rm_aw_procurements', ['winner_id'], unique=False)
    op.create_table('rm_aw_signups',
    sa.Column('procurement_id', sa.String(length=36), nullable=False),
    sa.Column('agency_id', sa.String(length=36), nullable=False),
    sa.Column('quote', sa.JSON(), nullable=True),
    sa.Column('price_fen', sa.BigInteger(), nullable=True),
    sa.Column('signed_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('on_list', sa.Boolean(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('procurement_id', 'agency_id', name=op.f('pk_rm_aw_signups'))
    )
    op.create_table('rm_dir_agencies',
    sa.Column('agency_id', sa.String(length=36), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('agency_type', sa.String(length=32), nullable=True),
    sa.Column('region', sa.String(length=12), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('admitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('practitioners_count', sa.Integer(), nullable=False),
    sa.Column('pending_change', sa.JSON(), nullable=True),
    sa.Column('abandonments', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('agency_id', name=op.f('pk_rm_dir_agencies')),
    sa.UniqueConstraint('uscc', name=op.f('uq_rm_dir_agencies_uscc'))
    )
    op.create_index(op.f('ix_rm_dir_agencies_region'), 'rm_dir_agencies', ['region'], unique=False)
    op.create_index(op.f('ix_rm_dir_agencies_status'), 'rm_dir_agencies', ['status'], unique=False)
    op.create_table('rm_dir_awards',
    sa.Column('procurement_id', sa.String(length=36), nullable=False),
    sa.Column('agency_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('procurement_id', name=op.f('pk_rm_dir_awards'))
    )
    op.create_index(op.f('ix_rm_dir_awards_agency_id'), 'rm_dir_awards', ['agency_id'], unique=False)
    op.create_table('rm_dir_evaluations',
    sa.Column('procurement_id', sa.String(length=36), nullable=False),
    sa.Column('agency_id', sa.String(length=36), nullable=False),
    sa.Column('overall', sa.Float(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('procurement_id', name=op.f('pk_rm_dir_evaluations'))
    )
    op.create_index(op.f('ix_rm_dir_evaluations_agency_id'), 'rm_dir_evaluations', ['agency_id'], unique=False)
    op.create_table('rm_dir_qualifications',
    sa.Column('agency_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('certificate_no', sa.String(length=100), nullable=True),
    sa.Column('valid_until', sa.String(length=10), nullable=True),
    sa.PrimaryKeyConstraint('agency_id', 'seq', name=op.f('pk_rm_dir_qualifications'))
    )
    op.create_index(op.f('ix_rm_dir_qualifications_category'), 'rm_dir_qualifications', ['category'], unique=False)
    op.create_table('rm_dir_services',
    sa.Column('agency_id', sa.String(length=36), nullable=False),
    sa.Column('item_code', sa.String(length=32), nullable=False),
    sa.Column('time_limit_days', sa.Integer(), nullable=True),
    sa.Column('fee_reference', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('agency_id', 'item_code', name=op.f('pk_rm_dir_services'))
    )
    op.create_table('rm_dir_suspensions',
    sa.Column('agency_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('service_items', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lifted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('agency_id', 'version', name=op.f('pk_rm_dir_suspensions'))
    )
    op.create_table('rm_due_deadlines',
    sa.Column('procurement_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=True),
    sa.Column('signup_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signup_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('selection_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('publicity_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contract_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('service_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acceptance_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('evaluation_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('procurement_id', name=op.f('pk_rm_due_deadlines'))
    )
    op.create_index(op.f('ix_rm_due_deadlines_acceptance_due'), 'rm_due_deadlines', ['acceptance_due'], unique=False)
    op.create_index(op.f('ix_rm_due_deadlines_contract_due'), 'rm_due_deadlines', ['contract_due'], unique=False)
    op.create_index(op.f('ix_rm_due_deadlines_evaluation_due'), 'rm_due_deadlines', ['evaluation_due'], unique=False)
    op.create_index(op.f('ix_rm_due_deadlines_publicity_end'), 'rm_due_deadlines', ['publicity_end'], unique=False)
    op.create_index(op.f('ix_rm_due_deadlines_service_due'), 'rm_due_deadlines', ['service_due'], unique=False)
    op.create_index(op.f('ix_rm_due_deadlines_status'), 'rm_due_deadlines', ['status'], unique=False)
    op.create_table('rm_op_queue',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.String(length=36), nullable=False),
    sa.Column('procurement_id', sa.String(length=36), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('item_code', sa.String(length=32), nullable=True),
    sa.Column('region', sa.String(length=12), nullable=True),
    sa.Column('waiting', sa.Boolean(), nullable=False),
    sa.Column('resubmission', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by', sa.String(length=64), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=True),
    sa.Column('proposed_name', sa.String(length=200), nullable=True),
    sa.Column('agency_id', sa.String(length=36), nullable=True),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('kind', 'subject_id', name=op.f('pk_rm_op_queue'))
    )
    op.create_index(op.f('ix_rm_op_queue_waiting'), 'rm_op_queue', ['waiting'], unique=False)
    op.create_table('rm_ow_procurements',
    sa.Column('procurement_id', sa.String(length=36), nullable=False),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('project_code', sa.String(length=64), nullable=True),
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('service_item_code', sa.String(length=32), nullable=True),
    sa.Column('method', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('round_no', sa.Integer(), nullable=True),
    sa.Column('previous_id', sa.String(length=36), nullable=True),
    sa.Column('next_id', sa.String(length=36), nullable=True),
    sa.Column('signup_count', sa.Integer(), nullable=False),
    sa.Column('signup_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('selection_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('winner_id', sa.String(length=36), nullable=True),
    sa.Column('contract_filed_by', sa.String(length=24), nullable=True),
    sa.Column('extension_pending', sa.Boolean(), nullable=False),
    sa.Column('objections_pending', sa.Integer(), nullable=False),
    sa.Column('publicity_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contract_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('service_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acceptance_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('evaluation_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('drafted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('awaits', sa.String(length=32), nullable=True),
    sa.Column('awaits_due', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('procurement_id', name=op.f('pk_rm_ow_procurements'))
    )
    op.create_index(op.f('ix_rm_ow_procurements_awaits'), 'rm_ow_procurements', ['awaits'], unique=False)
    op.create_index(op.f('ix_rm_ow_procurements_created_by'), 'rm_ow_procurements', ['created_by'], unique=False)
    op.create_index(op.f('ix_rm_ow_procurements_owner_id'), 'rm_ow_procurements', ['owner_id'], unique=False)
    op.create_index(op.f('ix_rm_ow_procurements_status'), 'rm_ow_procurements', ['status'], unique=False)
    op.create_table('rm_pub_contracts',
    sa.Column('procurement_id', sa.String(length=36), nullable=False),
    sa.Column('contract_no', sa.String(length=64), nullable=True),
    sa.Column('amount', sa.String(length=32), nullable=True),
    sa.Column('amount_fen', sa.BigInteger(), nullable=True),
    sa.Column('winner_id', sa.String(length=36), nullable=True),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('procurement_id', name=op.f('pk_rm_pub_contracts'))
    )
    op.create_table('rm_pub_entries',
    sa.Column('procurement_id', sa.String(length=36), nullable=False),
    sa.Column('agency_id', sa.String(length=36), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('price', sa.String(length=32), nullable=True),
    sa.Column('credit_score', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('procurement_id', 'agency_id', name=op.f('pk_rm_pub_entries'))
    )
    op.create_table('rm_pub_feed',
    sa.Column('position', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('procurement_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('position', name=op.f('pk_rm_pub_feed'))
    )
    op.create_table('rm_pub_names',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('pending_name', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('kind', 'key', name=op.f('pk_rm_pub_names'))
    )
    op.create_table('rm_pub_notices',
    sa.Column('procurement_id', sa.String(length=36), nullable=False),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('owner_name', sa.String(length=200), nullable=True),
    sa.Column('project_code', sa.String(length=64), nullable=True),
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('total_investment', sa.String(length=32), nullable=True),
    sa.Column('service_item_code', sa.String(length=32), nullable=True),
    sa.Column('service_item_name', sa.String(length=200), nullable=True),
    sa.Column('approval_matter', sa.String(length=200), nullable=True),
    sa.Column('department_id', sa.String(length=36), nullable=True),
    sa.Column('department_name', sa.String(length=200), nullable=True),
    sa.Column('region', sa.String(length=12), nullable=True),
    sa.Column('fund_source', sa.String(length=16), nullable=True),
    sa.Column('method', sa.String(length=32), nullable=True),
    sa.Column('budget', sa.JSON(), nullable=True),
    sa.Column('budget_min_fen', sa.BigInteger(), nullable=True),
    sa.Column('budget_max_fen', sa.BigInteger(), nullable=True),
    sa.Column('service_time_limit_days', sa.Integer(), nullable=True),
    sa.Column('requirement', sa.JSON(), nullable=True),
    sa.Column('avoided', sa.JSON(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('signup_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signup_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('selection_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('publicity_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('commitment', sa.String(length=64), nullable=True),
    sa.Column('round_no', sa.Integer(), nullable=True),
    sa.Column('previous_id', sa.String(length=36), nullable=True),
    sa.Column('next_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signup_count', sa.Integer(), nullable=False),
    sa.Column('signup_closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('list_hash', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('procurement_id', name=op.f('pk_rm_pub_notices'))
    )
    op.create_index(op.f('ix_rm_pub_notices_region'), 'rm_pub_notices', ['region'], unique=False)
    op.create_index(op.f('ix_rm_pub_notices_service_item_code'), 'rm_pub_notices', ['service_item_code'], unique=False)
    op.create_index(op.f('ix_rm_pub_notices_signup_closes_at'), 'rm_pub_notices', ['signup_closes_at'], unique=False)
    op.create_index(op.f('ix_rm_pub_notices_status'), 'rm_pub_notices', ['status'], unique=False)
    op.create_table('rm_pub_results',
    sa.Column('procurement_id', sa.String(length=36), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=True),
    sa.Column('winner_id', sa.String(length=36), nullable=True),
    sa.Column('failure_reason', sa.String(length=64), nullable=True),
    sa.Column('record', sa.JSON(), nullable=True),
    sa.Column('selected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('awarded_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('procurement_id', name=op.f('pk_rm_pub_results'))
    )
    op.create_table('rm_search_names',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('pending_name', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('kind', 'key', name=op.f('pk_rm_search_names'))
    )
    op.create_table('rm_search_participants',
    sa.Column('procurement_id', sa.String(length=36), nullable=False),
    sa.Column('agency_id', sa.String(length=36), nullable=False),
    sa.Column('won', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('procurement_id', 'agency_id', name=op.f('pk_rm_search_participants'))
    )
    op.create_table('rm_search_procurements',
    sa.Column('procurement_id', sa.String(length=36), nullable=False),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('department_id', sa.String(length=36), nullable=True),
    sa.Column('service_item_code', sa.String(length=32), nullable=True),
    sa.Column('region', sa.String(length=12), nullable=True),
    sa.Column('method', sa.String(length=32), nullable=True),
    sa.Column('fund_source', sa.String(length=16), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('project_code', sa.String(length=64), nullable=True),
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('round_no', sa.Integer(), nullable=True),
    sa.Column('previous_id', sa.String(length=36), nullable=True),
    sa.Column('next_id', sa.String(length=36), nullable=True),
    sa.Column('budget_min_fen', sa.BigInteger(), nullable=True),
    sa.Column('budget_max_fen', sa.BigInteger(), nullable=True),
    sa.Column('winning_price_fen', sa.BigInteger(), nullable=True),
    sa.Column('contract_amount_fen', sa.BigInteger(), nullable=True),
    sa.Column('signup_count', sa.Integer(), nullable=False),
    sa.Column('winner_id', sa.String(length=36), nullable=True),
    sa.Column('objections', sa.Integer(), nullable=False),
    sa.Column('drafted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signup_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signup_closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('selected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('awarded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contract_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('procurement_id', name=op.f('pk_rm_search_procurements'))
    )
    op.create_index(op.f('ix_rm_search_procurements_department_id'), 'rm_search_procurements', ['department_id'], unique=False)
    op.create_index(op.f('ix_rm_search_procurements_drafted_at'), 'rm_search_procurements', ['drafted_at'], unique=False)
    op.create_index(op.f('ix_rm_search_procurements_method'), 'rm_search_procurements', ['method'], unique=False)
    op.create_index(op.f('ix_rm_search_procurements_owner_id'), 'rm_search_procurements', ['owner_id'], unique=False)
    op.create_index(op.f('ix_rm_search_procurements_published_at'), 'rm_search_procurements', ['published_at'], unique=False)
    op.create_index(op.f('ix_rm_search_procurements_region'), 'rm_search_procurements', ['region'], unique=False)
    op.create_index(op.f('ix_rm_search_procurements_service_item_code'), 'rm_search_procurements', ['service_item_code'], unique=False)
    op.create_index(op.f('ix_rm_search_procurements_status'), 'rm_search_procurements', ['status'], unique=False)
    op.create_index(op.f('ix_rm_search_procurements_winner_id'), 'rm_search_procurements', ['winner_id'], unique=False)
    op.create_table('rm_tracking',
    sa.Column('projection', sa.String(length=64), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('projection', name=op.f('pk_rm_tracking'))
    )


def downgrade() -> None:
    op.drop_table('rm_tracking')
    op.drop_index(op.f('ix_rm_search_procurements_winner_id'), table_name='rm_search_procurements')
    op.drop_index(op.f('ix_rm_search_procurements_status'), table_name='rm_search_procurements')
    op.drop_index(op.f('ix_rm_search_procurements_service_item_code'), table_name='rm_search_procurements')
    op.drop_index(op.f('ix_rm_search_procurements_region'), table_name='rm_search_procurements')
    op.drop_index(op.f('ix_rm_search_procurements_published_at'), table_name='rm_search_procurements')
    op.drop_index(op.f('ix_rm_search_procurements_owner_id'), table_name='rm_search_procurements')
    op.drop_index(op.f('ix_rm_search_procurements_method'), table_name='rm_search_procurements')
    op.drop_index(op.f('ix_rm_search_procurements_drafted_at'), table_name='rm_search_procurements')
    op.drop_index(op.f('ix_rm_search_procurements_department_id'), table_name='rm_search_procurements')
    op.drop_table('rm_search_procurements')
    op.drop_table('rm_search_participants')
    op.drop_table('rm_search_names')
    op.drop_table('rm_pub_results')
    op.drop_index(op.f('ix_rm_pub_notices_status'), table_name='rm_pub_notices')
    op.drop_index(op.f('ix_rm_pub_notices_signup_closes_at'), table_name='rm_pub_notices')
    op.drop_index(op.f('ix_rm_pub_notices_service_item_code'), table_name='rm_pub_notices')
    op.drop_index(op.f('ix_rm_pub_notices_region'), table_name='rm_pub_notices')
    op.drop_table('rm_pub_notices')
    op.drop_table('rm_pub_names')
    op.drop_table('rm_pub_feed')
    op.drop_table('rm_pub_entries')
    op.drop_table('rm_pub_contracts')
    op.drop_index(op.f('ix_rm_ow_procurements_status'), table_name='rm_ow_procurements')
    op.drop_index(op.f('ix_rm_ow_procurements_owner_id'), table_name='rm_ow_procurements')
    op.drop_index(op.f('ix_rm_ow_procurements_created_by'), table_name='rm_ow_procurements')
    op.drop_index(op.f('ix_rm_ow_procurements_awaits'), table_name='rm_ow_procurements')
    op.drop_table('rm_ow_procurements')
    op.drop_index(op.f('ix_rm_op_queue_waiting'), table_name='rm_op_queue')
    op.drop_table('rm_op_queue')
    op.drop_index(op.f('ix_rm_due_deadlines_status'), table_name='rm_due_deadlines')
    op.drop_index(op.f('ix_rm_due_deadlines_service_due'), table_name='rm_due_deadlines')
    op.drop_index(op.f('ix_rm_due_deadlines_publicity_end'), table_name='rm_due_deadlines')
    op.drop_index(op.f('ix_rm_due_deadlines_evaluation_due'), table_name='rm_due_deadlines')
    op.drop_index(op.f('ix_rm_due_deadlines_contract_due'), table_name='rm_due_deadlines')
    op.drop_index(op.f('ix_rm_due_deadlines_acceptance_due'), table_name='rm_due_deadlines')
    op.drop_table('rm_due_deadlines')
    op.drop_table('rm_dir_suspensions')
    op.drop_table('rm_dir_services')
    op.drop_index(op.f('ix_rm_dir_qualifications_category'), table_name='rm_dir_qualifications')
    op.drop_table('rm_dir_qualifications')
    op.drop_index(op.f('ix_rm_dir_evaluations_agency_id'), table_name='rm_dir_evaluations')
    op.drop_table('rm_dir_evaluations')
    op.drop_index(op.f('ix_rm_dir_awards_agency_id'), table_name='rm_dir_awards')
    op.drop_table('rm_dir_awards')
    op.drop_index(op.f('ix_rm_dir_agencies_status'), table_name='rm_dir_agencies')
    op.drop_index(op.f('ix_rm_dir_agencies_region'), table_name='rm_dir_agencies')
    op.drop_table('rm_dir_agencies')
    op.drop_table('rm_aw_signups')
    op.drop_index(op.f('ix_rm_aw_procurements_winner_id'), table_name='rm_aw_procurements')
    op.drop_table('rm_aw_procurements')
