with

base as (
    select * from {{ ref('base_billing__customers') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by customer_id
            order by dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        customer_id,
        email_hash,
        crm_contact_id,
        currency,
        created_at,
        is_deleted
    from deduplicated
    where duplicate_rank = 1
)

select * from final
