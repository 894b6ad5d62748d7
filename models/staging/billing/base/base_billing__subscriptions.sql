{#- Every raw subscription snapshot row, parsed, with its quarantine reason (rule D0). Staging
    and the quarantine model both read this; nothing else does. Timestamps of what has
    happened are checked against both D0 bounds; scheduled ones (trial end, current period
    end, pause window) legitimately lie in the future and are only checked for parsing and
    the lower bound. An empty `created_at` quarantines the row (the timeline cannot start,
    rule D2). No amount, so no FX join. -#}
{%- set raw_columns = [
    'id', 'customer_id', 'plan_id', 'quantity', 'discount_pct', 'status', 'created_at',
    'trial_end', 'current_period_start', 'current_period_end', 'canceled_at',
    'cancellation_reason', 'cancellation_source', 'pause_start', 'pause_end', 'updated_at'] -%}
{%- set timestamps = ['created_at', 'current_period_start', 'canceled_at', 'updated_at'] -%}
{%- set scheduled_timestamps = ['trial_end', 'current_period_end', 'pause_start', 'pause_end'] -%}
{%- set integers = ['quantity'] -%}
{%- set decimals = ['discount_pct'] -%}

with

source as (
    select * from {{ source('raw_billing', 'subscriptions') }}
),

parsed as (
    select
        {{ clean_text('id') }} as subscription_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ clean_text('plan_id') }} as plan_id,
        {{ parse_integer('quantity') }} as quantity,
        {{ parse_decimal('discount_pct') }} as discount_pct,
        {{ normalize_enum('status',
            ['trialing', 'active', 'past_due', 'unpaid', 'paused', 'canceled'],
            {'cancelled': 'canceled', 'trialling': 'trialing', 'pastdue': 'past_due'}) }}
            as billing_status,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_timestamp('trial_end') }} as trial_end_at,
        {{ parse_timestamp('current_period_start') }} as current_period_start_at,
        {{ parse_timestamp('current_period_end') }} as current_period_end_at,
        {{ parse_timestamp('canceled_at') }} as canceled_at,
        lower({{ clean_text('cancellation_reason') }}) as cancellation_reason,
        {{ normalize_enum('cancellation_source', ['customer', 'support', 'dunning', 'fraud_review']) }}
            as cancellation_source,
        {{ parse_timestamp('pause_start') }} as pause_start_at,
        {{ parse_timestamp('pause_end') }} as pause_end_at,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ clean_text('id') }} as record_key,
        coalesce(
            {{ missing_required_reason('id', ['created_at']) }},
            {{ quarantine_reason('id', timestamps, [], integers, decimals=decimals) }},
            {{ scheduled_timestamp_issue(scheduled_timestamps) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('id', ['created_at'], output='column') }},
            {{ quarantine_reason('id', timestamps, [], integers, decimals=decimals, output='column') }},
            {{ scheduled_timestamp_issue(scheduled_timestamps, output='column') }}
        ) as parse_issue_column,
        {{ row_hash(raw_columns) }} as row_hash
    from source
),

final as (
    select
        parsed.*,
        parsed.parse_issue as quarantine_reason,
        parsed.parse_issue_column as quarantine_column,
        -- D0: the snapshot has updated_at (latest wins); no status finality rule.
        0 as dedupe_priority
    from parsed
)

select * from final
