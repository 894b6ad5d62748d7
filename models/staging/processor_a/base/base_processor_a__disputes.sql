{#- Every raw processor A dispute row, parsed, with its quarantine reason (rule D0). Staging
    and the quarantine model both read this; nothing else does. No currency on the row: the
    amount is in the disputed charge's currency and is converted downstream through it. -#}
{%- set raw_columns = ['id', 'charge', 'amount', 'reason', 'status', 'created'] -%}
{%- set timestamps = ['created'] -%}
{%- set amounts = ['amount'] -%}

with

source as (
    select * from {{ source('raw_processor_a', 'disputes') }}
),

parsed as (
    select
        {{ clean_text('id') }} as dispute_id,
        {{ clean_text('charge') }} as charge_id,
        {{ parse_integer('amount') }} as amount_minor,
        lower({{ clean_text('reason') }}) as dispute_reason,
        {{ normalize_enum('status', ['needs_response', 'won', 'lost']) }} as dispute_status,
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
        -- D0 tie-break for duplicate ids: a decided dispute (won / lost) over needs_response,
        -- then the greatest row hash.
        case parsed.dispute_status
            when 'won' then 2 when 'lost' then 2
            when 'needs_response' then 1 else 0
        end as dedupe_priority
    from parsed
)

select * from final
