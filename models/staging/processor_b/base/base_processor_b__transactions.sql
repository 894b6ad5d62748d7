{#- Every raw processor B transaction row, parsed, with its quarantine reason (rule D0).
    Staging and the quarantine model both read this; nothing else does. Amounts land as
    decimal strings in major units; they become minor units by the currency's exponent and
    USD at the rate of the month of the row's own `time` (rule D1). `order_id` is either a
    billing invoice id without its `in_` prefix or a shop order name such as `#1042`. -#}
{%- set raw_columns = [
    'transaction_id', 'type', 'response', 'response_code', 'response_text', 'amount', 'currency',
    'time', 'order_id', 'customer_vault_id', 'original_transaction_id'] -%}
{%- set timestamps = ['time'] -%}
{%- set amounts = ['amount'] -%}
{%- set order_id = clean_text('order_id') -%}

with

source as (
    select * from {{ source('raw_processor_b', 'transactions') }}
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
),

currencies as (
    select * from {{ ref('currency_exponents') }}
),

parsed as (
    select
        {{ clean_text('transaction_id') }} as transaction_id,
        {{ normalize_enum('type', ['sale', 'refund', 'chargeback'], {'charge_back': 'chargeback'}) }}
            as transaction_type,
        {{ normalize_enum('response', ['approved', 'declined', 'error'],
            {'1': 'approved', '2': 'declined', '3': 'error'}) }} as response,
        {{ clean_text('response_code') }} as response_code,
        {{ clean_text('response_text') }} as response_text,
        {{ parse_decimal('amount') }} as amount,
        upper({{ clean_text('currency') }}) as currency,
        {{ parse_timestamp('time') }} as transacted_at,
        {{ order_id }} as order_reference,
        case
            when {{ order_id }} like '#%' then null
            -- Contract: the invoice id without its prefix; tolerate one that kept it.
            when substr({{ order_id }}, 1, 3) = 'in_' then {{ order_id }}
            when {{ order_id }} is not null then 'in_' || {{ order_id }}
        end as invoice_id,
        case when {{ order_id }} like '#%' then {{ order_id }} end as shop_order_name,
        {{ clean_text('customer_vault_id') }} as customer_id,
        {{ clean_text('original_transaction_id') }} as original_transaction_id,
        {{ clean_text('transaction_id') }} as record_key,
        coalesce(
            {{ missing_required_reason('transaction_id', timestamps, amounts) }},
            {{ quarantine_reason('transaction_id', timestamps, amounts, decimal_amounts=true) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('transaction_id', timestamps, amounts, output='column') }},
            {{ quarantine_reason('transaction_id', timestamps, amounts, decimal_amounts=true, output='column') }}
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
            and cast({{ dbt.date_trunc('month', 'parsed.transacted_at') }} as date) = fx_rates.month
),

with_minor as (
    select
        with_fx.*,
        {{ major_to_minor('with_fx.amount', 'with_fx.currency_exponent') }} as amount_minor
    from with_fx
),

final as (
    select
        with_minor.*,
        {{ minor_to_usd('with_minor.amount_minor', 'with_minor.currency_exponent', 'with_minor.usd_per_unit') }}
            as amount_usd,
        coalesce(
            with_minor.parse_issue,
            case when with_minor.usd_per_unit is null or with_minor.currency_exponent is null then 'no_fx_rate' end
        ) as quarantine_reason,
        coalesce(
            with_minor.parse_issue_column,
            case when with_minor.usd_per_unit is null or with_minor.currency_exponent is null then 'currency' end
        ) as quarantine_column,
        -- D0: processor B has no status finality rule; duplicates fall to the row hash.
        0 as dedupe_priority
    from with_minor
)

select * from final
