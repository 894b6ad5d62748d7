{#- Every raw plan row, parsed, with its quarantine reason (rule D0). Staging and the
    quarantine model both read this; nothing else does. A plan has an amount and a currency
    but no month of its own, so it joins only the currency exponent: no FX rate, no
    `no_fx_rate` check (rule D1: a plan lacking a rate for a reported month fails a test
    downstream instead). An unknown currency leaves `currency_exponent` null. -#}
{%- set raw_columns = [
    'id', 'name', 'product_line', 'interval', 'interval_count', 'unit_amount', 'currency',
    'active'] -%}
{%- set amounts = ['unit_amount'] -%}
{%- set integers = ['interval_count'] -%}

with

source as (
    select * from {{ source('raw_billing', 'plans') }}
),

currencies as (
    select * from {{ ref('currency_exponents') }}
),

parsed as (
    select
        {{ clean_text('id') }} as plan_id,
        {{ clean_text('name') }} as plan_name,
        lower({{ clean_text('product_line') }}) as product_line,
        {{ normalize_enum('interval', ['day', 'week', 'month', 'year'], {
            'days': 'day', 'daily': 'day',
            'weeks': 'week', 'weekly': 'week',
            'months': 'month', 'monthly': 'month',
            'years': 'year', 'yearly': 'year', 'annual': 'year', 'annually': 'year'}) }}
            as billing_interval,
        {{ parse_integer('interval_count') }} as interval_count,
        {{ parse_integer('unit_amount') }} as unit_amount_minor,
        upper({{ clean_text('currency') }}) as currency,
        {{ parse_boolean('active') }} as is_active,
        {{ clean_text('id') }} as record_key,
        coalesce(
            {{ missing_required_reason('id', [], amounts, integers) }},
            {{ quarantine_reason('id', [], amounts, integers) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('id', [], amounts, integers, output='column') }},
            {{ quarantine_reason('id', [], amounts, integers, output='column') }}
        ) as parse_issue_column,
        {{ row_hash(raw_columns) }} as row_hash
    from source
),

with_exponent as (
    select
        parsed.*,
        currencies.exponent as currency_exponent
    from parsed
    left join currencies
        on parsed.currency = currencies.currency
),

final as (
    select
        with_exponent.*,
        with_exponent.parse_issue as quarantine_reason,
        with_exponent.parse_issue_column as quarantine_column,
        -- D0: plans have no status finality rule; duplicates fall to the row hash.
        0 as dedupe_priority
    from with_exponent
)

select * from final
