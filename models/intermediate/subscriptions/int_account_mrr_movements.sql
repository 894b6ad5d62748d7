{#-
    Rules D1, D5 and D6: MRR movements per account and period (months and quarters; the
    monthly and quarterly models select from here). start, end_cc and end are the account's
    rounded values (D1); every movement derives from them, so the roll-forward holds to the
    cent. Only rows where start, end or a movement is non-zero are kept.
-#}
with

periods as (
    select * from {{ ref('int_mrr_periods') }}
),

account_mrr as (
    select * from {{ ref('int_account_mrr_month_end') }}
),

subscription_changes as (
    select * from {{ ref('int_subscription_mrr_changes') }}
),

opening as (
    select
        account_mrr.account_id,
        periods.period_grain,
        periods.period_start,
        account_mrr.mrr_usd as start_mrr_usd
    from periods
    inner join account_mrr
        on periods.opening_month_start = account_mrr.month_start
),

closing as (
    select
        account_mrr.account_id,
        periods.period_grain,
        periods.period_start,
        case
            when periods.period_grain = 'month' then account_mrr.mrr_usd_at_previous_month_rate
            else account_mrr.mrr_usd_at_prior_quarter_rate
        end as end_cc_mrr_usd,
        account_mrr.mrr_usd as end_mrr_usd
    from periods
    inner join account_mrr
        on periods.closing_month_start = account_mrr.month_start
),

account_periods as (
    select
        coalesce(opening.account_id, closing.account_id) as account_id,
        coalesce(opening.period_grain, closing.period_grain) as period_grain,
        coalesce(opening.period_start, closing.period_start) as period_start,
        coalesce(opening.start_mrr_usd, 0) as start_mrr_usd,
        coalesce(closing.end_cc_mrr_usd, 0) as end_cc_mrr_usd,
        coalesce(closing.end_mrr_usd, 0) as end_mrr_usd
    from opening
    full outer join closing
        on
            opening.account_id = closing.account_id
            and opening.period_grain = closing.period_grain
            and opening.period_start = closing.period_start
),

first_mrr_months as (
    select
        account_id,
        min(month_start) as first_mrr_month_start
    from account_mrr
    where mrr_usd > 0
    group by 1
),

subscription_rollup as (
    select
        account_id,
        period_grain,
        period_start,
        cast(round(sum(involuntary_start_mrr_usd_exact), 2) as decimal(18, 2)) as involuntary_cap_usd,
        sum(plan_upgrade_usd_exact) as plan_upgrade_weight,
        sum(quantity_increase_usd_exact) as quantity_increase_weight,
        sum(new_subscription_usd_exact) as new_subscription_weight
    from subscription_changes
    group by 1, 2, 3
),

classified as (
    -- D5, in order: 0 → positive is new or reactivation; positive → 0 is churn
    select
        account_periods.*,
        coalesce(first_mrr_months.first_mrr_month_start < account_periods.period_start, false)
            as had_mrr_before_period,
        case
            when account_periods.start_mrr_usd = 0 and account_periods.end_cc_mrr_usd > 0
                then account_periods.end_cc_mrr_usd
            else 0
        end as opened_usd,
        case
            when account_periods.start_mrr_usd > 0 and account_periods.end_cc_mrr_usd > account_periods.start_mrr_usd
                then account_periods.end_cc_mrr_usd - account_periods.start_mrr_usd
            else 0
        end as expansion_usd,
        case
            when
                account_periods.start_mrr_usd > 0
                and account_periods.end_cc_mrr_usd > 0
                and account_periods.end_cc_mrr_usd < account_periods.start_mrr_usd
                then account_periods.start_mrr_usd - account_periods.end_cc_mrr_usd
            else 0
        end as contraction_usd,
        case
            when account_periods.start_mrr_usd > 0 and account_periods.end_cc_mrr_usd = 0
                then account_periods.start_mrr_usd
            else 0
        end as churn_usd,
        account_periods.end_mrr_usd - account_periods.end_cc_mrr_usd as fx_impact_usd
    from account_periods
    left join first_mrr_months
        on account_periods.account_id = first_mrr_months.account_id
),

with_rollup as (
    select
        classified.*,
        coalesce(subscription_rollup.involuntary_cap_usd, 0) as involuntary_cap_usd,
        coalesce(subscription_rollup.plan_upgrade_weight, 0) as plan_upgrade_weight,
        coalesce(subscription_rollup.quantity_increase_weight, 0) as quantity_increase_weight,
        coalesce(subscription_rollup.new_subscription_weight, 0) as new_subscription_weight
    from classified
    left join subscription_rollup
        on
            classified.account_id = subscription_rollup.account_id
            and classified.period_grain = subscription_rollup.period_grain
            and classified.period_start = subscription_rollup.period_start
),

split as (
    -- D5: churned revenue is involuntary up to the start value of involuntarily cancelled
    -- subscriptions; D6: expansion shared in proportion to the positive causes
    select
        *,
        case when churn_usd < involuntary_cap_usd then churn_usd else involuntary_cap_usd end
            as churn_involuntary_usd,
        case when contraction_usd < involuntary_cap_usd then contraction_usd else involuntary_cap_usd end
            as contraction_involuntary_usd,
        plan_upgrade_weight + quantity_increase_weight + new_subscription_weight as cause_weight,
        case
            when plan_upgrade_weight >= quantity_increase_weight and plan_upgrade_weight >= new_subscription_weight
                then 'plan_upgrade'
            when quantity_increase_weight >= new_subscription_weight then 'quantity_increase'
            else 'new_subscription'
        end as largest_cause
    from with_rollup
),

cause_shares as (
    select
        *,
        case
            when cause_weight > 0
                then round(cast(expansion_usd * plan_upgrade_weight / cause_weight as decimal(38, 10)), 2)
            else 0
        end as plan_upgrade_share,
        case
            when cause_weight > 0
                then round(cast(expansion_usd * quantity_increase_weight / cause_weight as decimal(38, 10)), 2)
            else 0
        end as quantity_increase_share,
        case
            when cause_weight > 0
                then round(cast(expansion_usd * new_subscription_weight / cause_weight as decimal(38, 10)), 2)
            else 0
        end as new_subscription_share
    from split
),

causes as (
    -- the rounding remainder goes to the largest cause, so the causes add up to the cent
    select
        *,
        case
            when largest_cause = 'plan_upgrade'
                then expansion_usd - quantity_increase_share - new_subscription_share
            else plan_upgrade_share
        end as expansion_plan_upgrade_usd,
        case
            when largest_cause = 'quantity_increase'
                then expansion_usd - plan_upgrade_share - new_subscription_share
            else quantity_increase_share
        end as expansion_quantity_increase_usd,
        case
            when largest_cause = 'new_subscription'
                then expansion_usd - plan_upgrade_share - quantity_increase_share
            else new_subscription_share
        end as expansion_new_subscription_usd
    from cause_shares
),

final as (
    select
        account_id,
        period_grain,
        period_start,
        start_mrr_usd,
        end_cc_mrr_usd,
        end_mrr_usd,
        cast(fx_impact_usd as decimal(18, 2)) as fx_impact_usd,
        cast(case when had_mrr_before_period then 0 else opened_usd end as decimal(18, 2)) as new_usd,
        cast(case when had_mrr_before_period then opened_usd else 0 end as decimal(18, 2)) as reactivation_usd,
        cast(expansion_usd as decimal(18, 2)) as expansion_usd,
        cast(contraction_usd as decimal(18, 2)) as contraction_usd,
        cast(contraction_usd - contraction_involuntary_usd as decimal(18, 2)) as contraction_voluntary_usd,
        cast(contraction_involuntary_usd as decimal(18, 2)) as contraction_involuntary_usd,
        cast(churn_usd as decimal(18, 2)) as churn_usd,
        cast(churn_usd - churn_involuntary_usd as decimal(18, 2)) as churn_voluntary_usd,
        cast(churn_involuntary_usd as decimal(18, 2)) as churn_involuntary_usd,
        cast(churn_usd + contraction_usd as decimal(18, 2)) as churned_revenue_usd,
        cast(expansion_plan_upgrade_usd as decimal(18, 2)) as expansion_plan_upgrade_usd,
        cast(expansion_quantity_increase_usd as decimal(18, 2)) as expansion_quantity_increase_usd,
        cast(expansion_new_subscription_usd as decimal(18, 2)) as expansion_new_subscription_usd,
        case
            when opened_usd > 0 and had_mrr_before_period then 'reactivation'
            when opened_usd > 0 then 'new'
            when expansion_usd > 0 then 'expansion'
            when contraction_usd > 0 then 'contraction'
            when churn_usd > 0 then 'churn'
            else 'unchanged'
        end as movement_type
    from causes
    where
        start_mrr_usd <> 0
        or end_cc_mrr_usd <> 0
        or end_mrr_usd <> 0
)

select * from final
