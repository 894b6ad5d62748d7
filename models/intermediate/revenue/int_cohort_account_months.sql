{#-
    Rule D7, the cohort grid per account: every paying account (cohort = month of its first
    approved payment) and every month from its cohort month (offset 0) through the last reported
    month, with its net revenue in that calendar month (0 without activity), whether that month
    had a refund or lost chargeback, and its MRR at the month end (0 before its first
    subscription). Month-end grain (accounts × months), never days. A refund or chargeback dated
    before the account's cohort month (possible only on dirty data, e.g. a refund of a charge
    whose status is unknown) stays in the account's lifetime revenue but outside this grid.
-#}
with

segments as (
    select * from {{ ref('int_account_value_segments') }}
),

net_revenue as (
    select * from {{ ref('int_account_net_revenue_monthly') }}
),

mrr_month_end as (
    select * from {{ ref('int_account_mrr_month_end') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

digits as (
    select 0 as digit
    union all
    select 1 as digit
    union all
    select 2 as digit
    union all
    select 3 as digit
    union all
    select 4 as digit
    union all
    select 5 as digit
    union all
    select 6 as digit
    union all
    select 7 as digit
    union all
    select 8 as digit
    union all
    select 9 as digit
),

offsets as (
    select ones.digit + 10 * tens.digit + 100 * hundreds.digit as month_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
),

cohort_accounts as (
    select
        segments.account_id,
        segments.first_payment_month as cohort_month,
        {{ dbt.datediff('segments.first_payment_month', 'as_of.last_reported_month', 'month') }} as last_offset
    from segments
    cross join as_of
    where
        segments.first_payment_month is not null
        and segments.first_payment_month <= as_of.last_reported_month
),

grid as (
    select
        cohort_accounts.account_id,
        cohort_accounts.cohort_month,
        offsets.month_offset,
        cast({{ dbt.dateadd('month', 'offsets.month_offset', 'cohort_accounts.cohort_month') }} as date)
            as month_start
    from cohort_accounts
    inner join offsets
        on cohort_accounts.last_offset >= offsets.month_offset
),

final as (
    select
        grid.account_id,
        grid.cohort_month,
        cast(grid.month_offset as {{ dbt.type_int() }}) as month_offset,
        grid.month_start,
        cast(coalesce(net_revenue.net_revenue_usd, 0) as decimal(18, 2)) as net_revenue_usd,
        coalesce(net_revenue.has_refund_or_lost_chargeback, false) as has_refund_or_lost_chargeback,
        cast(coalesce(mrr_month_end.mrr_usd, 0) as decimal(18, 2)) as end_mrr_usd,
        coalesce(mrr_month_end.mrr_usd, 0) > 0 as is_active
    from grid
    left join net_revenue
        on
            grid.account_id = net_revenue.account_id
            and grid.month_start = net_revenue.month_start
    left join mrr_month_end
        on
            grid.account_id = mrr_month_end.account_id
            and grid.month_start = mrr_month_end.month_start
)

select * from final
