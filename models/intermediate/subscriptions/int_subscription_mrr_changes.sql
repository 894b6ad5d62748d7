{#-
    Rules D5 and D6 at subscription level: each subscription's start and end_cc MRR for a
    period, both at the period-start rate (exact, unrounded), its expansion by cause
    (plan_upgrade, quantity_increase, new_subscription: positive parts only) and whether it
    was cancelled involuntarily (D2) during the period. The account-level movement model
    rounds and shares these out.
-#}
with

periods as (
    select * from {{ ref('int_mrr_periods') }}
),

subscription_mrr as (
    select * from {{ ref('int_subscription_mrr_month_end') }}
),

cancellations as (
    select * from {{ ref('int_subscription_cancellations_classified') }}
),

opening as (
    -- the end of the month before the period, at that month's own rate
    select
        subscription_mrr.subscription_id,
        subscription_mrr.account_id,
        periods.period_grain,
        periods.period_start,
        subscription_mrr.plan_id,
        subscription_mrr.quantity,
        subscription_mrr.mrr_plan_currency * subscription_mrr.usd_per_unit as start_mrr_usd_exact
    from periods
    inner join subscription_mrr
        on periods.opening_month_start = subscription_mrr.month_start
),

closing as (
    -- the end of the period's last month, at the period-start rate
    select
        subscription_mrr.subscription_id,
        subscription_mrr.account_id,
        periods.period_grain,
        periods.period_start,
        subscription_mrr.plan_id,
        subscription_mrr.quantity,
        subscription_mrr.mrr_plan_currency
        * case
            when periods.period_grain = 'month' then subscription_mrr.previous_month_usd_per_unit
            else subscription_mrr.prior_quarter_usd_per_unit
        end as end_cc_mrr_usd_exact
    from periods
    inner join subscription_mrr
        on periods.closing_month_start = subscription_mrr.month_start
),

joined as (
    select
        coalesce(opening.subscription_id, closing.subscription_id) as subscription_id,
        coalesce(opening.account_id, closing.account_id) as account_id,
        coalesce(opening.period_grain, closing.period_grain) as period_grain,
        coalesce(opening.period_start, closing.period_start) as period_start,
        opening.plan_id as start_plan_id,
        closing.plan_id as end_plan_id,
        opening.quantity as start_quantity,
        closing.quantity as end_quantity,
        coalesce(opening.start_mrr_usd_exact, 0) as start_mrr_usd_exact,
        coalesce(closing.end_cc_mrr_usd_exact, 0) as end_cc_mrr_usd_exact
    from opening
    full outer join closing
        on
            opening.subscription_id = closing.subscription_id
            and opening.period_grain = closing.period_grain
            and opening.period_start = closing.period_start
),

involuntary_cancellations as (
    select distinct
        joined.subscription_id,
        joined.period_grain,
        joined.period_start
    from joined
    inner join periods
        on
            joined.period_grain = periods.period_grain
            and joined.period_start = periods.period_start
    inner join cancellations
        on
            joined.subscription_id = cancellations.subscription_id
            and cancellations.is_involuntary
            and periods.period_start <= cancellations.cancelled_at
            and periods.period_end_at > cancellations.cancelled_at
),

effects as (
    -- D6: a 0 → positive subscription is new_subscription; otherwise the quantity effect is
    -- priced at the closing plan and the plan effect is the rest of the change
    select
        joined.*,
        involuntary_cancellations.subscription_id is not null as is_cancelled_involuntarily,
        case
            when joined.start_mrr_usd_exact = 0 and joined.end_cc_mrr_usd_exact > 0
                then joined.end_cc_mrr_usd_exact
            else 0
        end as new_subscription_effect,
        case
            when joined.start_mrr_usd_exact = 0 or joined.end_cc_mrr_usd_exact = 0 then 0
            when joined.start_plan_id = joined.end_plan_id
                then joined.end_cc_mrr_usd_exact - joined.start_mrr_usd_exact
            when joined.start_quantity <> joined.end_quantity
                then cast(
                    joined.end_cc_mrr_usd_exact * (joined.end_quantity - joined.start_quantity)
                    / joined.end_quantity as decimal(38, 10)
                )
            else 0
        end as quantity_effect
    from joined
    left join involuntary_cancellations
        on
            joined.subscription_id = involuntary_cancellations.subscription_id
            and joined.period_grain = involuntary_cancellations.period_grain
            and joined.period_start = involuntary_cancellations.period_start
),

final as (
    select
        subscription_id,
        account_id,
        period_grain,
        period_start,
        start_plan_id,
        end_plan_id,
        start_quantity,
        end_quantity,
        start_mrr_usd_exact,
        end_cc_mrr_usd_exact,
        is_cancelled_involuntarily,
        case when is_cancelled_involuntarily then start_mrr_usd_exact else 0 end
            as involuntary_start_mrr_usd_exact,
        case
            when start_mrr_usd_exact = 0 or end_cc_mrr_usd_exact = 0 or start_plan_id = end_plan_id then 0
            when end_cc_mrr_usd_exact - start_mrr_usd_exact - quantity_effect > 0
                then end_cc_mrr_usd_exact - start_mrr_usd_exact - quantity_effect
            else 0
        end as plan_upgrade_usd_exact,
        case when quantity_effect > 0 then quantity_effect else 0 end as quantity_increase_usd_exact,
        new_subscription_effect as new_subscription_usd_exact
    from effects
)

select * from final
