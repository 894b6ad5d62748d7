{#- Rules D5 and D6: MRR movements per account and month (see int_account_mrr_movements). -#}
with

movements as (
    select * from {{ ref('int_account_mrr_movements') }}
),

final as (
    select
        account_id,
        period_start as month_start,
        start_mrr_usd,
        end_cc_mrr_usd,
        end_mrr_usd,
        fx_impact_usd,
        new_usd,
        reactivation_usd,
        expansion_usd,
        contraction_usd,
        contraction_voluntary_usd,
        contraction_involuntary_usd,
        churn_usd,
        churn_voluntary_usd,
        churn_involuntary_usd,
        churned_revenue_usd,
        expansion_plan_upgrade_usd,
        expansion_quantity_increase_usd,
        expansion_new_subscription_usd,
        movement_type
    from movements
    where period_grain = 'month'
)

select * from final
