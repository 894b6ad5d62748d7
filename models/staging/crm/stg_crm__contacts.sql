with

base as (
    select * from {{ ref('base_crm__contacts') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by contact_id
            order by updated_at desc nulls last, dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        contact_id,
        email_hash,
        phone_hash,
        has_name,
        billing_customer_id,
        lifecycle_stage,
        acquisition_channel,
        country,
        created_at,
        updated_at,
        is_deleted
    from deduplicated
    where duplicate_rank = 1
)

select * from final
