{#- Every raw processor A charge row, parsed, with its quarantine reason (rule D0). Staging
    and the quarantine model both read this; nothing else does. Converted to USD at the rate
    of the month of its own `created` time (rule D1). -#}
{%- set raw_columns = [
    'id', 'invoice', 'order_ref', 'customer', 'amount', 'currency', 'status', 'failure_code',
    'outcome_type', 'attempt', 'payment_method_fingerprint', 'created'] -%}
{%- set timestamps = ['created'] -%}
{%- set amounts = ['amount'] -%}
{%- set integers = ['attempt'] -%}

with

source as (
    select * from {{ source('raw_processor_a', 'charges') }}
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
),

currencies as (
    select * from {{ ref('currency_exponents') }}
),

parsed as (
    select
        {{ clean_text('id') }} as charge_id,
        {{ clean_text('invoice') }} as invoice_id,
        {{ clean_text('order_ref') }} as order_ref,
        {{ clean_text('customer') }} as customer_id,
        {{ parse_integer('amount') }} as amount_minor,
        upper({{ clean_text('currency') }}) as currency,
        {{ normalize_enum('status', ['succeeded', 'failed', 'pending']) }} as charge_status,
        lower({{ clean_text('failure_code') }}) as failure_code,
        {{ normalize_enum('outcome_type', ['authorized', 'issuer_declined', 'blocked', 'invalid']) }}
            as outcome_type,
        {{ parse_integer('attempt') }} as attempt_number,
        {{ clean_text('payment_method_fingerprint') }} as payment_method_fingerprint,
        {{ parse_timestamp('created') }} as created_at,
        {{ clean_text('id') }} as record_key,
        coalesce(
            {{ missing_required_reason('id', timestamps, amounts) }},
            {{ quarantine_reason('id', timestamps, amounts, integers) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('id', timestamps, amounts, output='column') }},
            {{ quarantine_reason('id', timestamps, amounts, integers, output='column') }}
        ) as parse_issue_column,
        {{ row_hash(raw_columns) }} as row_hash
    from source
),

with_fx as (
    select
        parsed.*,
        currencies.exponent as currency_exponent,
        fx_rates.usd_per_unit
    from parsed
    left join currencies
        on parsed.currency = currencies.currency
    left join fx_rates
        on
            parsed.currency = fx_rates.currency
            and cast({{ dbt.date_trunc('month', 'parsed.created_at') }} as date) = fx_rates.month
),

final as (
    select
        with_fx.*,
        {{ minor_to_usd('with_fx.amount_minor', 'with_fx.currency_exponent', 'with_fx.usd_per_unit') }}
            as amount_usd,
        coalesce(
            with_fx.parse_issue,
            case when with_fx.usd_per_unit is null or with_fx.currency_exponent is null then 'no_fx_rate' end
        ) as quarantine_reason,
        coalesce(
            with_fx.parse_issue_column,
            case when with_fx.usd_per_unit is null or with_fx.currency_exponent is null then 'currency' end
        ) as quarantine_column,
        -- D0 tie-break for duplicate ids: a final status (succeeded / failed) over pending,
        -- then the greatest row hash.
        case with_fx.charge_status
            when 'succeeded' then 2 when 'failed' then 2
            when 'pending' then 1 else 0
        end as dedupe_priority
    from with_fx
)

select * from final
