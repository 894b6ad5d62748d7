with

base as (
    select * from {{ ref('base_billing__invoices') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by invoice_id
            order by dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        invoice_id,
        subscription_id,
        customer_id,
        billing_reason,
        status,
        period_start_at,
        period_end_at,
        created_at,
        paid_at,
        cast({{ dbt.date_trunc('month', 'created_at') }} as date) as created_month,
        currency,
        subtotal_minor,
        discount_minor,
        tax_minor,
        total_minor,
        total_usd,
        usd_per_unit,
        attempt_count,
        billing_reason = 'subscription_cycle' and status not in ('void', 'draft') as is_rebill
    from deduplicated
    where duplicate_rank = 1
)

select * from final
