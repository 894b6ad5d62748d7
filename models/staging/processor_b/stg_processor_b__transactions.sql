with

base as (
    select * from {{ ref('base_processor_b__transactions') }}
),

usable as (
    select * from base
    where quarantine_reason is null
),

deduplicated as (
    select
        *,
        row_number() over (
            partition by transaction_id
            order by dedupe_priority desc, row_hash desc
        ) as duplicate_rank
    from usable
),

final as (
    select
        transaction_id,
        transaction_type,
        response,
        response_code,
        response_text,
        transacted_at,
        order_reference,
        invoice_id,
        shop_order_name,
        customer_id,
        original_transaction_id,
        currency,
        currency_exponent,
        amount,
        amount_minor,
        amount_usd,
        usd_per_unit
    from deduplicated
    where duplicate_rank = 1
)

select * from final
