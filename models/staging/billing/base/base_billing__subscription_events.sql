{#- Every raw subscription event row, parsed, with its quarantine reason (rule D0). Staging
    and the quarantine model both read this; nothing else does. Events arrive at least once
    (same id twice) and out of order; ordering is the intermediate layer's job (rule D2). -#}
{%- set raw_columns = [
    'id', 'subscription_id', 'type', 'occurred_at', 'previous_plan_id', 'plan_id',
    'previous_quantity', 'quantity', 'reason'] -%}
{%- set timestamps = ['occurred_at'] -%}
{%- set integers = ['previous_quantity', 'quantity'] -%}

with

source as (
    select * from {{ source('raw_billing', 'subscription_events') }}
),

parsed as (
    select
        {{ clean_text('id') }} as subscription_event_id,
        {{ clean_text('subscription_id') }} as subscription_id,
        {{ normalize_enum('type', [
            'created', 'trial_converted', 'plan_changed', 'quantity_changed', 'paused', 'resumed',
            'canceled', 'reactivated'], {'cancelled': 'canceled'}) }} as event_type,
        {{ parse_timestamp('occurred_at') }} as occurred_at,
        {{ clean_text('previous_plan_id') }} as previous_plan_id,
        {{ clean_text('plan_id') }} as plan_id,
        {{ parse_integer('previous_quantity') }} as previous_quantity,
        {{ parse_integer('quantity') }} as quantity,
        {{ normalize_enum('reason', ['customer', 'support', 'dunning', 'fraud_review']) }} as reason,
        {{ clean_text('id') }} as record_key,
        coalesce(
            {{ missing_required_reason('id', timestamps) }},
            {{ quarantine_reason('id', timestamps, [], integers) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('id', timestamps, output='column') }},
            {{ quarantine_reason('id', timestamps, [], integers, output='column') }}
        ) as parse_issue_column,
        {{ row_hash(raw_columns) }} as row_hash
    from source
),

final as (
    select
        parsed.*,
        parsed.parse_issue as quarantine_reason,
        parsed.parse_issue_column as quarantine_column,
        -- D0: events have no status finality rule; a redelivered id falls to the row hash.
        0 as dedupe_priority
    from parsed
)

select * from final
