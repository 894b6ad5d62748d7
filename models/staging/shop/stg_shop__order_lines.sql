with

base as (
    select * from {{ ref('base_shop__order_lines') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by order_line_id
            order by dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        order_line_id,
        order_id,
        sku,
        product_type,
        quantity,
        price,
        is_subscription,
        offer_type
    from deduplicated
    where duplicate_rank = 1
)

select * from final
