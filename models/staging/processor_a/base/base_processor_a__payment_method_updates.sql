{#- Every raw processor A payment-method update row, parsed, with its quarantine reason
    (rule D0). Staging and the quarantine model both read this; nothing else does. -#}
{%- set raw_columns = ['id', 'customer', 'source', 'created'] -%}
{%- set timestamps = ['created'] -%}

with

source as (
    select * from {{ source('raw_processor_a', 'payment_method_updates') }}
),

parsed as (
    select
        {{ clean_text('id') }} as payment_method_update_id,
        {{ clean_text('customer') }} as customer_id,
        {{ normalize_enum('source', ['card_updater', 'customer_portal', 'support']) }} as update_source,
        {{ parse_timestamp('created') }} as created_at,
        {{ clean_text('id') }} as record_key,
        coalesce(
            {{ missing_required_reason('id', timestamps) }},
            {{ quarantine_reason('id', timestamps) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('id', timestamps, output='column') }},
            {{ quarantine_reason('id', timestamps, output='column') }}
        ) as parse_issue_column,
        {{ row_hash(raw_columns) }} as row_hash
    from source
),

final as (
    select
        parsed.*,
        parsed.parse_issue as quarantine_reason,
        parsed.parse_issue_column as quarantine_column,
        -- D0: no status finality rule; duplicates fall to the row hash.
        0 as dedupe_priority
    from parsed
)

select * from final
