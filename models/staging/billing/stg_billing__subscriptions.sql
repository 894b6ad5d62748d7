with

base as (
    select * from {{ ref('base_billing__subscriptions') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by subscription_id
            order by updated_at desc nulls last, dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        subscription_id,
        customer_id,
        plan_id,
        quantity,
        discount_pct,
        billing_status,
        created_at,
        trial_end_at,
        current_period_start_at,
        current_period_end_at,
        canceled_at,
        cancellation_reason,
        cancellation_source,
        pause_start_at,
        pause_end_at,
        updated_at
    from deduplicated
    where duplicate_rank = 1
)

select * from final
