{#- Every raw shop refund row, parsed, with its quarantine reason (rule D0). Refunds carry no
    currency: `amount` stays in the order's major units and is converted later through the
    order. Staging and the quarantine model both read this; nothing else does. -#}
{%- set raw_columns = ['id', 'order_id', 'amount', 'created_at'] -%}
{%- set timestamps = ['created_at'] -%}
{%- set amounts = ['amount'] -%}

with

source as (
    select * from {{ source('raw_shop', 'refunds') }}
),

parsed as (
    select
        {{ clean_text('id') }} as shop_refund_id,
        {{ clean_text('order_id') }} as order_id,
        {{ parse_decimal('amount') }} as amount,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ clean_text('id') }} as record_key,
        coalesce(
            {{ missing_required_reason('id', timestamps, amounts) }},
            {{ quarantine_reason('id', timestamps, amounts, decimal_amounts=true) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('id', timestamps, amounts, output='column') }},
            {{ quarantine_reason('id', timestamps, amounts, decimal_amounts=true, output='column') }}
        ) as parse_issue_column,
        {{ row_hash(raw_columns) }} as row_hash
    from source
),

final as (
    select
        parsed.*,
        parsed.parse_issue as quarantine_reason,
        parsed.parse_issue_column as quarantine_column,
        -- D0: shop refunds have no status finality rule; duplicates keep the greatest row hash.
        0 as dedupe_priority
    from parsed
)

select * from final
