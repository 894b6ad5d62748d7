with

base as (
    select * from {{ ref('base_shop__orders') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by order_id
            order by dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        order_id,
        order_name,
        email_hash,
        billing_customer_id,
        created_at,
        cancelled_at,
        financial_status,
        source_name,
        currency,
        currency_exponent,
        usd_per_unit,
        subtotal_price_minor,
        total_discounts_minor,
        total_price_minor,
        subtotal_price_usd,
        total_discounts_usd,
        total_price_usd
    from deduplicated
    where duplicate_rank = 1
)

select * from final
