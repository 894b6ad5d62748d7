with

base as (
    select * from {{ ref('base_processor_a__charges') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by charge_id
            order by dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        charge_id,
        invoice_id,
        order_ref,
        customer_id,
        charge_status,
        failure_code,
        outcome_type,
        attempt_number,
        payment_method_fingerprint,
        created_at,
        currency,
        currency_exponent,
        amount_minor,
        amount_usd,
        usd_per_unit
    from deduplicated
    where duplicate_rank = 1
)

select * from final
