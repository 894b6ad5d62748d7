with

base as (
    select * from {{ ref('base_shop__refunds') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by shop_refund_id
            order by dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        shop_refund_id,
        order_id,
        amount,
        created_at
    from deduplicated
    where duplicate_rank = 1
)

select * from final
