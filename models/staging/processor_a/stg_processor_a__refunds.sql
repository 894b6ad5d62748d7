with

base as (
    select * from {{ ref('base_processor_a__refunds') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by refund_id
            order by dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        refund_id,
        charge_id,
        amount_minor,
        refund_reason,
        created_at
    from deduplicated
    where duplicate_rank = 1
)

select * from final
