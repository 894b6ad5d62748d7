with

base as (
    select * from {{ ref('base_billing__plans') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by plan_id
            order by dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        plan_id,
        plan_name,
        product_line,
        billing_interval,
        interval_count,
        unit_amount_minor,
        currency,
        currency_exponent,
        is_active
    from deduplicated
    where duplicate_rank = 1
)

select * from final
