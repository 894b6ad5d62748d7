{#-
    Rules D1 and D3: each account's MRR in USD at every reported month end, at three rates:
    the month's own (end / start values), the previous month's (a month's end_cc) and the
    rate of the month before the month's quarter (a quarter's end_cc). The exact subscription
    values are summed per currency, multiplied by the rate, summed, and only then rounded to
    the cent, half away from zero.
-#}
with

subscription_mrr as (
    select * from {{ ref('int_subscription_mrr_month_end') }}
),

per_currency as (
    select
        account_id,
        month_start,
        month_end_at,
        currency,
        usd_per_unit,
        previous_month_usd_per_unit,
        prior_quarter_usd_per_unit,
        sum(mrr_plan_currency) as mrr_plan_currency,
        count(*) as subscription_count,
        sum(case when mrr_plan_currency > 0 then 1 else 0 end) as mrr_subscription_count
    from subscription_mrr
    group by 1, 2, 3, 4, 5, 6, 7
),

per_account as (
    select
        account_id,
        month_start,
        month_end_at,
        sum(mrr_plan_currency * usd_per_unit) as mrr_usd_exact,
        sum(mrr_plan_currency * previous_month_usd_per_unit) as mrr_usd_at_previous_month_rate_exact,
        sum(mrr_plan_currency * prior_quarter_usd_per_unit) as mrr_usd_at_prior_quarter_rate_exact,
        sum(subscription_count) as subscription_count,
        sum(mrr_subscription_count) as mrr_subscription_count
    from per_currency
    group by 1, 2, 3
),

final as (
    select
        account_id,
        month_start,
        month_end_at,
        cast(round(mrr_usd_exact, 2) as decimal(18, 2)) as mrr_usd,
        cast(round(mrr_usd_at_previous_month_rate_exact, 2) as decimal(18, 2)) as mrr_usd_at_previous_month_rate,
        cast(round(mrr_usd_at_prior_quarter_rate_exact, 2) as decimal(18, 2)) as mrr_usd_at_prior_quarter_rate,
        cast(subscription_count as {{ dbt.type_int() }}) as subscription_count,
        cast(mrr_subscription_count as {{ dbt.type_int() }}) as mrr_subscription_count
    from per_account
)

select * from final
