{#- Every raw shop order line row, parsed, with its quarantine reason (rule D0). Lines carry no
    currency: `price` stays in the order's major units and is converted later through the
    order. Staging and the quarantine model both read this; nothing else does. -#}
{%- set raw_columns = [
    'id', 'order_id', 'sku', 'product_type', 'quantity', 'price', 'is_subscription', 'offer_type'] -%}
{%- set amounts = ['price'] -%}
{%- set integers = ['quantity'] -%}

with

source as (
    select * from {{ source('raw_shop', 'order_lines') }}
),

parsed as (
    select
        {{ clean_text('id') }} as order_line_id,
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('sku') }} as sku,
        lower({{ clean_text('product_type') }}) as product_type,
        {{ parse_integer('quantity') }} as quantity,
        {{ parse_decimal('price') }} as price,
        {{ parse_boolean('is_subscription') }} as is_subscription,
        {{ normalize_enum('offer_type', ['upsell', 'cross_sell'],
            {'up_sell': 'upsell', 'crosssell': 'cross_sell'}) }} as offer_type,
        {{ clean_text('id') }} as record_key,
        coalesce(
            {{ missing_required_reason('id', amounts=amounts, integers=integers) }},
            {{ quarantine_reason('id', [], amounts, integers, decimal_amounts=true) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('id', amounts=amounts, integers=integers, output='column') }},
            {{ quarantine_reason('id', [], amounts, integers, decimal_amounts=true, output='column') }}
        ) as parse_issue_column,
        {{ row_hash(raw_columns) }} as row_hash
    from source
),

final as (
    select
        parsed.*,
        parsed.parse_issue as quarantine_reason,
        parsed.parse_issue_column as quarantine_column,
        -- D0: order lines have no status finality rule; duplicates keep the greatest row hash.
        0 as dedupe_priority
    from parsed
)

select * from final
