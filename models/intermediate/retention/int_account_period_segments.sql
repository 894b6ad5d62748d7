{#-
    Rule D5, slices: the segments each account is reported under in each period (months and
    quarters) where it has an MRR movement row. One row per account, period grain and period.
    - value_segment: the account's D7 value segment as of the last reported month (one value
      per account, the same in every period); an account the segment model does not list has
      no revenue in the segment window and is `tail` (D7).
    - product_line: the product line of the account's subscription with the largest start MRR
      in the period, else (no subscription with start MRR) the largest end MRR; start and end
      are the subscription's MRR at the opening and closing month ends in USD at each month's
      own rate, compared as exact decimals; ties go to the smallest subscription_id. The product
      line is the subscription's at the month end that chose it.
    - acquisition_channel: from the account's CRM person (`int_accounts_resolved`).
-#}
with

periods as (
    select * from {{ ref('int_mrr_periods') }}
),

monthly_movements as (
    select * from {{ ref('int_mrr_movements_monthly') }}
),

quarterly_movements as (
    select * from {{ ref('int_mrr_movements_quarterly') }}
),

subscription_mrr as (
    select * from {{ ref('int_subscription_mrr_month_end') }}
),

accounts as (
    select * from {{ ref('int_accounts_resolved') }}
),

value_segments as (
    select * from {{ ref('int_account_value_segments') }}
),

account_periods as (
    select
        account_id,
        'month' as period_grain,
        month_start as period_start
    from monthly_movements
    union all
    select
        account_id,
        'quarter' as period_grain,
        quarter_start as period_start
    from quarterly_movements
),

subscription_period_mrr as (
    -- each subscription's start and end MRR in the period (USD at the month end's own rate)
    select
        periods.period_grain,
        periods.period_start,
        subscription_mrr.account_id,
        subscription_mrr.subscription_id,
        sum(
            case
                when subscription_mrr.month_start = periods.opening_month_start
                    then subscription_mrr.mrr_plan_currency * subscription_mrr.usd_per_unit
                else 0
            end
        ) as start_mrr_usd_exact,
        sum(
            case
                when subscription_mrr.month_start = periods.closing_month_start
                    then subscription_mrr.mrr_plan_currency * subscription_mrr.usd_per_unit
                else 0
            end
        ) as end_mrr_usd_exact,
        max(
            case when subscription_mrr.month_start = periods.opening_month_start then subscription_mrr.product_line end
        ) as start_product_line,
        max(
            case when subscription_mrr.month_start = periods.closing_month_start then subscription_mrr.product_line end
        ) as end_product_line
    from periods
    inner join subscription_mrr
        on
            periods.opening_month_start = subscription_mrr.month_start
            or periods.closing_month_start = subscription_mrr.month_start
    group by 1, 2, 3, 4
),

ranked_subscriptions as (
    select
        *,
        row_number() over (
            partition by period_grain, period_start, account_id
            order by start_mrr_usd_exact desc, end_mrr_usd_exact desc, subscription_id asc
        ) as subscription_rank
    from subscription_period_mrr
    where start_mrr_usd_exact > 0 or end_mrr_usd_exact > 0
),

leading_subscriptions as (
    select
        period_grain,
        period_start,
        account_id,
        subscription_id,
        case when start_mrr_usd_exact > 0 then start_product_line else end_product_line end as product_line
    from ranked_subscriptions
    where subscription_rank = 1
),

final as (
    select
        account_periods.account_id,
        account_periods.period_grain,
        account_periods.period_start,
        coalesce(value_segments.value_segment, 'tail') as value_segment,
        coalesce(leading_subscriptions.product_line, 'unknown') as product_line,
        leading_subscriptions.subscription_id as product_line_subscription_id,
        coalesce(accounts.acquisition_channel, 'unknown') as acquisition_channel
    from account_periods
    left join leading_subscriptions
        on
            account_periods.account_id = leading_subscriptions.account_id
            and account_periods.period_grain = leading_subscriptions.period_grain
            and account_periods.period_start = leading_subscriptions.period_start
    left join accounts
        on account_periods.account_id = accounts.account_id
    left join value_segments
        on account_periods.account_id = value_segments.account_id
)

select * from final
