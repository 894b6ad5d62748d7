{#-
    Rule D8, the health score: the weighted mean of the five component scores (weights are vars
    that sum to 1, enforced by a test), rounded to the cent of a point, and its tier from the
    rounded score: `healthy` >= health_tier_healthy_min, `watch` >= health_tier_watch_min,
    else `at_risk`. The account's value segment (rule D7, as of the last reported month; an
    account missing there is `tail` with no revenue) sits beside it.
-#}
with

components as (
    select * from {{ ref('int_account_health_components') }}
),

value_segments as (
    select * from {{ ref('int_account_value_segments') }}
),

weighted as (
    select
        components.*,
        cast(
            round(
                {{ var('health_weight_payment') }} * components.payment_score
                + {{ var('health_weight_renewal') }} * components.renewal_score
                + {{ var('health_weight_support') }} * components.support_score
                + {{ var('health_weight_orders') }} * components.orders_score
                + {{ var('health_weight_engagement') }} * components.engagement_score,
                2
            ) as decimal(5, 2)
        ) as health_score
    from components
),

final as (
    select
        weighted.*,
        case
            when weighted.health_score >= {{ var('health_tier_healthy_min') }} then 'healthy'
            when weighted.health_score >= {{ var('health_tier_watch_min') }} then 'watch'
            else 'at_risk'
        end as health_tier,
        coalesce(value_segments.value_segment, 'tail') as value_segment,
        cast(coalesce(value_segments.trailing_12m_net_revenue_usd, 0) as decimal(18, 2))
            as trailing_12m_net_revenue_usd
    from weighted
    left join value_segments
        on weighted.account_id = value_segments.account_id
)

select * from final
