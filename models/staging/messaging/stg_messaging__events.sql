with

base as (
    select * from {{ ref('base_messaging__events') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by message_event_id
            order by dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        message_event_id,
        message_id,
        channel,
        recipient_email_hash,
        recipient_phone_hash,
        flow,
        trigger_ref,
        is_automated,
        event_type,
        occurred_at
    from deduplicated
    where duplicate_rank = 1
)

select * from final
