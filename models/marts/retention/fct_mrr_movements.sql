{#-
    Rule D5: MRR movements per account and month, with the account's slices (value segment,
    product line, acquisition channel). Grain: one row per account and reported month where
    start, end or a movement is non-zero. Primary key: (account_id, month_start).
-#}
with

movements as (
    select * from {{ ref('int_mrr_movements_monthly') }}
),

segments as (
    select * from {{ ref('int_account_period_segments') }}
    where period_grain = 'month'
),

final as (
    select
        movements.account_id,
        movements.month_start,
        movements.movement_type,
        movements.start_mrr_usd,
        movements.new_usd,
        movements.reactivation_usd,
        movements.expansion_usd,
        movements.expansion_plan_upgrade_usd,
        movements.expansion_quantity_increase_usd,
        movements.expansion_new_subscription_usd,
        movements.contraction_usd,
        movements.contraction_voluntary_usd,
        movements.contraction_involuntary_usd,
        movements.churn_usd,
        movements.churn_voluntary_usd,
        movements.churn_involuntary_usd,
        movements.churned_revenue_usd,
        cast(movements.contraction_voluntary_usd + movements.churn_voluntary_usd as decimal(18, 2))
            as churned_revenue_voluntary_usd,
        cast(movements.contraction_involuntary_usd + movements.churn_involuntary_usd as decimal(18, 2))
            as churned_revenue_involuntary_usd,
        movements.end_cc_mrr_usd,
        movements.fx_impact_usd,
        movements.end_mrr_usd,
        segments.value_segment,
        segments.product_line,
        segments.acquisition_channel
    from movements
    left join segments
        on
            movements.account_id = segments.account_id
            and movements.month_start = segments.period_start
)

select * from final
