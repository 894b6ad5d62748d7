{#-
    Rule D3: each subscription's MRR at the last instant of every reported month (D1), in its
    plan's currency, as an exact decimal(38, 10) after one division, with the FX rates the
    month-end and movement models multiply it by. A month's row exists once the subscription
    has started before the month's end, on a plan that billing's plan export holds: a month
    whose plan is missing or quarantined cannot be priced and has no row (its MRR counts as 0;
    int_subscription_plan_intervals' relationships test warns with the count, and the plan row
    is in stg_quarantine with its reason).

    The one division: DuckDB divides decimals in DOUBLE, so there the integer numerator (the
    discount kept as millionths) is divided in HUGEINT, rounded half away from zero at the
    10th decimal place; other engines divide decimals exactly. (Candidate for a dispatched
    macro in macros/.)
-#}
{%- set numerator = 'mrr_numerator' -%}
{%- set denominator = 'mrr_denominator' -%}

with

months as (
    select * from {{ ref('int_reporting_months') }}
),

status_intervals as (
    select * from {{ ref('int_subscription_status_intervals') }}
),

plan_intervals as (
    select * from {{ ref('int_subscription_plan_intervals') }}
),

plans as (
    select * from {{ ref('stg_billing__plans') }}
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
),

subscription_starts as (
    select
        subscription_id,
        account_id,
        min(valid_from_at) as started_at
    from status_intervals
    group by 1, 2
),

subscription_months as (
    select
        subscription_starts.subscription_id,
        subscription_starts.account_id,
        months.month_start,
        months.month_end_at,
        months.previous_month_start,
        cast({{ dbt.dateadd('month', -1, 'months.quarter_start') }} as date) as prior_quarter_month_start
    from subscription_starts
    inner join months
        on subscription_starts.started_at < months.month_end_at
),

status_at_month_end as (
    -- the interval holding at the month's last instant
    select
        subscription_months.*,
        status_intervals.status
    from subscription_months
    inner join status_intervals
        on
            subscription_months.subscription_id = status_intervals.subscription_id
            and subscription_months.month_end_at > status_intervals.valid_from_at
            and (
                status_intervals.valid_to_at is null
                or subscription_months.month_end_at <= status_intervals.valid_to_at
            )
),

plan_at_month_end as (
    select
        status_at_month_end.*,
        plan_intervals.plan_id,
        plan_intervals.quantity,
        coalesce(plan_intervals.discount_pct, 0) as discount_pct
    from status_at_month_end
    left join plan_intervals
        on
            status_at_month_end.subscription_id = plan_intervals.subscription_id
            and status_at_month_end.month_end_at > plan_intervals.valid_from_at
            and (
                plan_intervals.valid_to_at is null
                or status_at_month_end.month_end_at <= plan_intervals.valid_to_at
            )
),

with_plan as (
    select
        plan_at_month_end.*,
        plans.product_line,
        plans.billing_interval,
        plans.interval_count,
        plans.unit_amount_minor,
        plans.currency,
        plans.currency_exponent
    from plan_at_month_end
    inner join plans
        on plan_at_month_end.plan_id = plans.plan_id
),

mrr_terms as (
    -- D3 as integers: unit × quantity × (100 − discount) × 10^6 × (52 | 365 | 1)
    -- over 100 × 10^6 × 10^exponent × interval_count × (12 | 1)
    select
        *,
        cast(unit_amount_minor as decimal(38, 0))
        * quantity
        * cast((100 - discount_pct) * 1000000 as decimal(38, 0))
        * case billing_interval when 'week' then 52 when 'day' then 365 else 1 end as {{ numerator }},
        cast(100000000 as {{ dbt.type_bigint() }})
        * case currency_exponent when 0 then 1 when 1 then 10 when 2 then 100 when 3 then 1000 end
        * nullif(interval_count, 0)
        * case billing_interval when 'month' then 1 when 'year' then 12 when 'week' then 12 when 'day' then 12 end
            as {{ denominator }}
    from with_plan
),

monthly_amounts as (
    select
        *,
        {{ exact_divide(numerator, denominator, 10) }} as plan_monthly_amount
    from mrr_terms
),

with_rates as (
    select
        monthly_amounts.*,
        month_rates.usd_per_unit,
        previous_month_rates.usd_per_unit as previous_month_usd_per_unit,
        prior_quarter_rates.usd_per_unit as prior_quarter_usd_per_unit
    from monthly_amounts
    left join fx_rates as month_rates
        on
            monthly_amounts.currency = month_rates.currency
            and monthly_amounts.month_start = month_rates.month
    left join fx_rates as previous_month_rates
        on
            monthly_amounts.currency = previous_month_rates.currency
            and monthly_amounts.previous_month_start = previous_month_rates.month
    left join fx_rates as prior_quarter_rates
        on
            monthly_amounts.currency = prior_quarter_rates.currency
            and monthly_amounts.prior_quarter_month_start = prior_quarter_rates.month
),

final as (
    select
        subscription_id,
        account_id,
        month_start,
        month_end_at,
        status,
        status in ('active', 'past_due') as is_mrr_counted,
        plan_id,
        product_line,
        billing_interval,
        interval_count,
        unit_amount_minor,
        quantity,
        discount_pct,
        currency,
        cast(plan_monthly_amount as decimal(38, 10)) as plan_monthly_amount,
        cast(
            case when status in ('active', 'past_due') then plan_monthly_amount else 0 end as decimal(38, 10)
        ) as mrr_plan_currency,
        usd_per_unit,
        previous_month_usd_per_unit,
        prior_quarter_usd_per_unit
    from with_rates
)

select * from final
