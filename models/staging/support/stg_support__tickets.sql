with

base as (
    select * from {{ ref('base_support__tickets') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by ticket_id
            order by updated_at desc nulls last, dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        ticket_id,
        requester_email_hash,
        priority,
        ticket_status,
        satisfaction,
        tags,
        has_billing_tag,
        has_cancel_request_tag,
        has_payment_issue_tag,
        tag_count,
        created_at,
        updated_at,
        solved_at
    from deduplicated
    where duplicate_rank = 1
)

select * from final
