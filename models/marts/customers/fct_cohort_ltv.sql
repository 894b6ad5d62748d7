{#-
    Rule D7: cohort lifetime value. One row per cohort month and month offset k (0 = the cohort
    month) through the last reported month: cohort size, accounts with MRR > 0 at the end of
    month cohort + k, the cohort's net revenue in that month, cumulative through k, and
    LTV_k = cumulative ÷ cohort size, rounded to the cent.
-#}
with

cohort_account_months as (
    select * from {{ ref('int_cohort_account_months') }}
),

cohort_months as (
    select
        cohort_month,
        month_offset,
        month_start,
        count(*) as cohort_size,
        sum(case when is_active then 1 else 0 end) as active_accounts,
        sum(net_revenue_usd) as net_revenue_usd,
        max(case when has_refund_or_lost_chargeback then 1 else 0 end) = 1 as has_refund_or_lost_chargeback
    from cohort_account_months
    group by 1, 2, 3
),

cumulated as (
    select
        cohort_months.*,
        sum(cohort_months.net_revenue_usd) over (
            partition by cohort_months.cohort_month
            order by cohort_months.month_offset
            rows between unbounded preceding and current row
        ) as cumulative_net_revenue_usd
    from cohort_months
),

final as (
    select
        cast(cohort_month as date) as cohort_month,
        cast(month_offset as integer) as month_offset,
        cast(month_start as date) as month_start,
        cast(cohort_size as integer) as cohort_size,
        cast(active_accounts as integer) as active_accounts,
        cast(net_revenue_usd as decimal(18, 2)) as net_revenue_usd,
        has_refund_or_lost_chargeback,
        cast(cumulative_net_revenue_usd as decimal(18, 2)) as cumulative_net_revenue_usd,
        cast({{ divide_decimals('cumulative_net_revenue_usd', 'cohort_size') }} as decimal(18, 2)) as ltv_usd
    from cumulated
)

select * from final
