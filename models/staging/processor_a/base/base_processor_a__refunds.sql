{#- Every raw processor A refund row, parsed, with its quarantine reason (rule D0). Staging
    and the quarantine model both read this; nothing else does. A refund carries no currency:
    it is in its charge's currency and is converted downstream through the charge, at the
    rate of the refund's own month (rule D1), so there is no FX join here. -#}
{%- set raw_columns = ['id', 'charge', 'amount', 'reason', 'created'] -%}
{%- set timestamps = ['created'] -%}
{%- set amounts = ['amount'] -%}

with

source as (
    select * from {{ source('raw_processor_a', 'refunds') }}
),

parsed as (
    select
        {{ clean_text('id') }} as refund_id,
        {{ clean_text('charge') }} as charge_id,
        {{ parse_integer('amount') }} as amount_minor,
        lower({{ clean_text('reason') }}) as refund_reason,
        {{ parse_timestamp('created') }} as created_at,
        {{ clean_text('id') }} as record_key,
        coalesce(
            {{ missing_required_reason('id', timestamps, amounts) }},
            {{ quarantine_reason('id', timestamps, amounts) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('id', timestamps, amounts, output='column') }},
            {{ quarantine_reason('id', timestamps, amounts, output='column') }}
        ) as parse_issue_column,
        {{ row_hash(raw_columns) }} as row_hash
    from source
),

final as (
    select
        parsed.*,
        parsed.parse_issue as quarantine_reason,
        parsed.parse_issue_column as quarantine_column,
        -- D0: refunds have no status finality rule; duplicates fall to the row hash.
        0 as dedupe_priority
    from parsed
)

select * from final
