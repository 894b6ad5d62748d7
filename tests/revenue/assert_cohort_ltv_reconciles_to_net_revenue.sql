{#-
    Rule D7: `fct_cohort_ltv` loses and invents no money or account. Per calendar month, the
    cohorts' net revenue equals the net revenue of all accounts with a cohort (in
    `int_account_net_revenue_monthly`) in that month, counting each account from its cohort month
    through the last reported month (a refund dated before the account's first approved payment,
    possible only on dirty data, lies outside the cohort grid); and the cohort sizes at k = 0 add up to the accounts whose first approved
    payment is on or before the last reported month. Returns the months (or the size check)
    that differ.
-#}
with

cohorts as (
    select * from {{ ref('fct_cohort_ltv') }}
),

net_revenue as (
    select * from {{ ref('int_account_net_revenue_monthly') }}
),

segments as (
    select * from {{ ref('int_account_value_segments') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

mart_months as (
    select
        month_start,
        sum(net_revenue_usd) as mart_usd
    from cohorts
    group by 1
),

source_months as (
    select
        net_revenue.month_start,
        sum(net_revenue.net_revenue_usd) as source_usd
    from net_revenue
    inner join segments
        on net_revenue.account_id = segments.account_id
    cross join as_of
    where
        segments.first_payment_month is not null
        and net_revenue.month_start >= segments.first_payment_month
        and net_revenue.month_start <= as_of.last_reported_month
    group by 1
),

month_diffs as (
    select
        cast(coalesce(mart_months.month_start, source_months.month_start) as {{ dbt.type_string() }}) as checked,
        coalesce(mart_months.mart_usd, 0) as mart_value,
        coalesce(source_months.source_usd, 0) as source_value
    from mart_months
    full outer join source_months
        on mart_months.month_start = source_months.month_start
),

size_diff as (
    select
        'cohort sizes at k = 0' as checked,
        (
            select coalesce(sum(cohorts.cohort_size), 0)
            from cohorts
            where cohorts.month_offset = 0
        ) as mart_value,
        (
            select count(*)
            from segments
            cross join as_of
            where segments.first_payment_month <= as_of.last_reported_month
        ) as source_value
),

final as (
    select
        checked,
        mart_value,
        source_value
    from month_diffs
    union all
    select
        checked,
        mart_value,
        source_value
    from size_diff
)

select *
from final
where mart_value <> source_value
