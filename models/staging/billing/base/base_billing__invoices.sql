{#- Every raw invoice row, parsed, with its quarantine reason (rule D0). Staging and the
    quarantine model both read this; nothing else does. -#}
{%- set raw_columns = [
    'id', 'subscription_id', 'customer_id', 'billing_reason', 'period_start', 'period_end',
    'subtotal', 'discount', 'tax', 'total', 'currency', 'status', 'attempt_count',
    'created_at', 'paid_at'] -%}
{%- set timestamps = ['period_start', 'created_at', 'paid_at'] -%}
{#- The billed period can legitimately end after the build runs: parse and lower bound only. -#}
{%- set scheduled_timestamps = ['period_end'] -%}
{%- set amounts = ['subtotal', 'discount', 'tax', 'total'] -%}

with

source as (
    select * from {{ source('raw_billing', 'invoices') }}
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
),

currencies as (
    select * from {{ ref('currency_exponents') }}
),

parsed as (
    select
        {{ clean_text('id') }} as invoice_id,
        {{ clean_text('subscription_id') }} as subscription_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ normalize_enum('billing_reason',
            ['subscription_create', 'subscription_cycle', 'subscription_update', 'manual']) }}
            as billing_reason,
        {{ parse_timestamp('period_start') }} as period_start_at,
        {{ parse_timestamp('period_end') }} as period_end_at,
        {{ parse_integer('subtotal') }} as subtotal_minor,
        {{ parse_integer('discount') }} as discount_minor,
        {{ parse_integer('tax') }} as tax_minor,
        {{ parse_integer('total') }} as total_minor,
        upper({{ clean_text('currency') }}) as currency,
        {{ normalize_enum('status', ['draft', 'open', 'paid', 'uncollectible', 'void']) }} as status,
        {{ parse_integer('attempt_count') }} as attempt_count,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_timestamp('paid_at') }} as paid_at,
        {{ clean_text('id') }} as record_key,
        coalesce(
            {{ missing_required_reason('id', ['created_at'], ['total']) }},
            {{ quarantine_reason('id', timestamps, amounts, ['attempt_count']) }},
            {{ scheduled_timestamp_issue(scheduled_timestamps) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('id', ['created_at'], ['total'], output='column') }},
            {{ quarantine_reason('id', timestamps, amounts, ['attempt_count'], output='column') }},
            {{ scheduled_timestamp_issue(scheduled_timestamps, output='column') }}
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
        {{ minor_to_usd('with_fx.total_minor', 'with_fx.currency_exponent', 'with_fx.usd_per_unit') }}
            as total_usd,
        coalesce(
            with_fx.parse_issue,
            case when with_fx.usd_per_unit is null or with_fx.currency_exponent is null then 'no_fx_rate' end
        ) as quarantine_reason,
        coalesce(
            with_fx.parse_issue_column,
            case when with_fx.usd_per_unit is null or with_fx.currency_exponent is null then 'currency' end
        ) as quarantine_column,
        -- D0 tie-break for duplicate ids: the most final status wins, then the greatest row hash.
        case with_fx.status
            when 'paid' then 3 when 'uncollectible' then 3 when 'void' then 3
            when 'open' then 2 when 'draft' then 1 else 0
        end as dedupe_priority
    from with_fx
)

select * from final
