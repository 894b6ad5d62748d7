{#- Every raw shop order row, parsed, with its quarantine reason (rule D0). Decimal prices
    become minor units by the currency's exponent and USD at the rate of the order's created
    month. Staging and the quarantine model both read this; nothing else does. -#}
{%- set raw_columns = [
    'id', 'name', 'email', 'billing_customer_id', 'created_at', 'cancelled_at', 'financial_status',
    'source_name', 'subtotal_price', 'total_discounts', 'total_price', 'currency'] -%}
{%- set timestamps = ['created_at', 'cancelled_at'] -%}
{%- set amounts = ['subtotal_price', 'total_discounts', 'total_price'] -%}
{#- Required (contract without `?`) and needed to use the row: empty is quarantined too. -#}
{%- set required_timestamps = ['created_at'] -%}
{%- set required_amounts = ['total_price'] -%}

with

source as (
    select * from {{ source('raw_shop', 'orders') }}
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
),

currencies as (
    select * from {{ ref('currency_exponents') }}
),

parsed as (
    select
        {{ clean_text('id') }} as order_id,
        {{ clean_text('name') }} as order_name,
        {{ pii_hash(normalize_email('email')) }} as email_hash,
        {{ clean_text('billing_customer_id') }} as billing_customer_id,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_timestamp('cancelled_at') }} as cancelled_at,
        {{ normalize_enum('financial_status',
            ['paid', 'partially_refunded', 'refunded', 'voided', 'pending'],
            {'void': 'voided', 'partial_refund': 'partially_refunded', 'partially_refund': 'partially_refunded'}) }}
            as financial_status,
        {{ normalize_enum('source_name',
            ['web', 'subscription_contract', 'post_purchase', 'sms'],
            {'postpurchase': 'post_purchase', 'subscription': 'subscription_contract'}) }}
            as source_name,
        {{ parse_decimal('subtotal_price') }} as subtotal_price,
        {{ parse_decimal('total_discounts') }} as total_discounts,
        {{ parse_decimal('total_price') }} as total_price,
        upper({{ clean_text('currency') }}) as currency,
        {{ clean_text('id') }} as record_key,
        coalesce(
            {{ missing_required_reason('id', required_timestamps, required_amounts) }},
            {{ quarantine_reason('id', timestamps, amounts, decimal_amounts=true) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('id', required_timestamps, required_amounts, output='column') }},
            {{ quarantine_reason('id', timestamps, amounts, decimal_amounts=true, output='column') }}
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

with_minor as (
    select
        with_fx.*,
        {{ major_to_minor('with_fx.subtotal_price', 'with_fx.currency_exponent') }} as subtotal_price_minor,
        {{ major_to_minor('with_fx.total_discounts', 'with_fx.currency_exponent') }} as total_discounts_minor,
        {{ major_to_minor('with_fx.total_price', 'with_fx.currency_exponent') }} as total_price_minor
    from with_fx
),

final as (
    select
        with_minor.*,
        {{ minor_to_usd('with_minor.subtotal_price_minor', 'with_minor.currency_exponent', 'with_minor.usd_per_unit') }}
            as subtotal_price_usd,
        {{ minor_to_usd('with_minor.total_discounts_minor', 'with_minor.currency_exponent', 'with_minor.usd_per_unit') }}
            as total_discounts_usd,
        {{ minor_to_usd('with_minor.total_price_minor', 'with_minor.currency_exponent', 'with_minor.usd_per_unit') }}
            as total_price_usd,
        coalesce(
            with_minor.parse_issue,
            case when with_minor.usd_per_unit is null or with_minor.currency_exponent is null then 'no_fx_rate' end
        ) as quarantine_reason,
        coalesce(
            with_minor.parse_issue_column,
            case when with_minor.usd_per_unit is null or with_minor.currency_exponent is null then 'currency' end
        ) as quarantine_column,
        -- D0: orders have no status finality rule; duplicates keep the greatest row hash.
        0 as dedupe_priority
    from with_minor
)

select * from final
