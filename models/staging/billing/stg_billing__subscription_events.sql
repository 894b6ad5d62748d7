with

base as (
    select * from {{ ref('base_billing__subscription_events') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by subscription_event_id
            order by dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        subscription_event_id,
        subscription_id,
        event_type,
        occurred_at,
        previous_plan_id,
        plan_id,
        previous_quantity,
        quantity,
        reason
    from deduplicated
    where duplicate_rank = 1
)

select * from final
