with

base as (
    select * from {{ ref('base_processor_a__payment_method_updates') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by payment_method_update_id
            order by dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        payment_method_update_id,
        customer_id,
        update_source,
        created_at
    from deduplicated
    where duplicate_rank = 1
)

select * from final
