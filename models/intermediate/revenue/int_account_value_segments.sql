{#-
    Rule D7, per account: cohort (month of the first approved payment), lifetime net revenue
    through as_of, net revenue over the 12 months ending with the last reported month, and the
    Pareto value segment. Accounts are ranked by trailing revenue (desc), ties by account id
    (asc); an account's `cumulative_share_before` is the trailing revenue of the accounts ranked
    before it ÷ the total. Only positive trailing revenue enters the running sum and the total
    (decision), so an account with zero or negative trailing revenue has every positive account
    before it (share 1) and is `tail`; with no positive revenue at all the share is null and
    every account is `tail`. `top`: share before < `segment_top_share`; `core`: <
    `segment_core_share`; `tail`: the rest. Compared as cumulative < share × total, exact decimals.
-#}
with

accounts as (
    select * from {{ ref('int_accounts_resolved') }}
),

net_revenue as (
    select * from {{ ref('int_account_net_revenue_monthly') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

window_bounds as (
    select
        cast({{ dbt.dateadd('month', -11, 'as_of.last_reported_month') }} as date) as window_start_month,
        as_of.last_reported_month as window_end_month
    from as_of
),

account_revenue as (
    select
        net_revenue.account_id,
        min(case when net_revenue.approved_payment_count > 0 then net_revenue.month_start end)
            as first_payment_month,
        sum(net_revenue.net_revenue_usd) as lifetime_net_revenue_usd,
        sum(
            case
                when
                    net_revenue.month_start >= window_bounds.window_start_month
                    and net_revenue.month_start <= window_bounds.window_end_month
                    then net_revenue.net_revenue_usd
                else 0
            end
        ) as trailing_12m_net_revenue_usd
    from net_revenue
    cross join window_bounds
    group by 1
),

account_values as (
    select
        accounts.account_id,
        account_revenue.first_payment_month,
        cast(coalesce(account_revenue.lifetime_net_revenue_usd, 0) as decimal(18, 2)) as lifetime_net_revenue_usd,
        cast(coalesce(account_revenue.trailing_12m_net_revenue_usd, 0) as decimal(18, 2))
            as trailing_12m_net_revenue_usd
    from accounts
    left join account_revenue
        on accounts.account_id = account_revenue.account_id
),

ranked as (
    select
        account_id,
        first_payment_month,
        lifetime_net_revenue_usd,
        trailing_12m_net_revenue_usd,
        row_number() over (
            order by trailing_12m_net_revenue_usd desc, account_id asc
        ) as value_rank,
        coalesce(
            sum(case when trailing_12m_net_revenue_usd > 0 then trailing_12m_net_revenue_usd else 0 end) over (
                order by trailing_12m_net_revenue_usd desc, account_id asc
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as cumulative_before_usd,
        sum(case when trailing_12m_net_revenue_usd > 0 then trailing_12m_net_revenue_usd else 0 end) over ()
            as total_positive_usd
    from account_values
),

segmented as (
    select
        ranked.*,
        case
            when ranked.total_positive_usd > 0
                then
                    cast(ranked.cumulative_before_usd as {{ account_kpis.type_double() }})
                    / cast(ranked.total_positive_usd as {{ account_kpis.type_double() }})
        end as cumulative_share_before,
        case
            when ranked.trailing_12m_net_revenue_usd <= 0 or ranked.total_positive_usd <= 0 then 'tail'
            when ranked.cumulative_before_usd < {{ var('segment_top_share') }} * ranked.total_positive_usd then 'top'
            when ranked.cumulative_before_usd < {{ var('segment_core_share') }} * ranked.total_positive_usd then 'core'
            else 'tail'
        end as value_segment
    from ranked
),

final as (
    select
        account_id,
        first_payment_month,
        lifetime_net_revenue_usd,
        trailing_12m_net_revenue_usd,
        cast(value_rank as {{ dbt.type_int() }}) as value_rank,
        cast(cumulative_before_usd as decimal(18, 2)) as cumulative_trailing_before_usd,
        cast(total_positive_usd as decimal(18, 2)) as total_positive_trailing_usd,
        cumulative_share_before,
        value_segment
    from segmented
)

select * from final
