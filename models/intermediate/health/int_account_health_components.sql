{#-
    Rule D8, component scores 0-100 per scored account and evaluation point, from the signals
    of int_account_health_signals. Curves (every constant a var in dbt_project.yml):
    - payment: 0 when a renewal is past due at the point; else 100 x first-attempt approval
      rate over the payment window; no first attempt in the window -> neutral.
    - renewal: 100 unless the payment method failed lately (the latest attempt in the lookback
      failed and no payment-method update followed); then 100 x min(1, days to the next renewal
      / horizon): a renewal due now scores 0, one a full horizon away 100. No next renewal -> 100.
    - support: 100 - points_per_ticket x weighted tickets (tag-weighted) - bad-rating points,
      floored at 0.
    - orders: 100 x min(1, orders in the window / orders expected at the usual rhythm), where
      the usual interval = days from the first order to the window start / orders before the
      window (needs a minimum history); without a rhythm, 100 when it ordered in the window,
      else neutral.
    - engagement: 0 after an opt-out; no lifecycle message in the window -> neutral; else
      min(100, 100 x (clicked + converted messages) / lifecycle messages).
-#}
with

signals as (
    select * from {{ ref('int_account_health_signals') }}
),

scored as (
    select
        signals.*,
        case
            when signals.has_renewal_past_due then 0
            when signals.payment_first_attempts = 0 then {{ var('health_neutral_score') }}
            else 100.0 * signals.payment_first_attempts_approved / signals.payment_first_attempts
        end as payment_score_raw,
        case
            when not signals.has_failing_payment_method or signals.days_to_next_renewal is null then 100
            else 100.0 * least(1.0, signals.days_to_next_renewal / {{ var('health_renewal_horizon_days') }})
        end as renewal_score_raw,
        greatest(
            0,
            100
            - {{ var('health_support_points_per_ticket') }} * signals.support_weighted_tickets
            - case when signals.has_bad_satisfaction then {{ var('health_support_bad_rating_points') }} else 0 end
        ) as support_score_raw,
        case
            when signals.expected_recent_orders is null and signals.recent_orders > 0 then 100
            when signals.expected_recent_orders is null then {{ var('health_neutral_score') }}
            else 100.0 * least(1.0, signals.recent_orders / signals.expected_recent_orders)
        end as orders_score_raw,
        case
            when signals.has_opted_out then 0
            when signals.lifecycle_messages = 0 then {{ var('health_neutral_score') }}
            else
                least(
                    100.0,
                    100.0 * (signals.lifecycle_messages_clicked + signals.lifecycle_messages_converted)
                    / signals.lifecycle_messages
                )
        end as engagement_score_raw
    from signals
),

final as (
    select
        account_id,
        point_key,
        point_type,
        month_start,
        evaluated_at,
        account_status,
        cast(round(payment_score_raw, 2) as decimal(5, 2)) as payment_score,
        cast(round(renewal_score_raw, 2) as decimal(5, 2)) as renewal_score,
        cast(round(support_score_raw, 2) as decimal(5, 2)) as support_score,
        cast(round(orders_score_raw, 2) as decimal(5, 2)) as orders_score,
        cast(round(engagement_score_raw, 2) as decimal(5, 2)) as engagement_score,
        has_renewal_past_due,
        pending_rebills,
        past_due_since_at,
        payment_first_attempts,
        payment_first_attempts_approved,
        case
            when payment_first_attempts > 0
                then cast(round(100.0 * payment_first_attempts_approved / payment_first_attempts, 2) as decimal(9, 2))
        end as first_attempt_approval_pct,
        has_failing_payment_method,
        latest_decline_at,
        latest_decline_gateway,
        latest_decline_code,
        latest_decline_class,
        next_renewal_at,
        cast(round(days_to_next_renewal, 2) as decimal(9, 2)) as days_to_next_renewal,
        support_tickets,
        support_weighted_tickets,
        has_bad_satisfaction,
        has_cancel_request,
        recent_orders,
        prior_orders,
        cast(round(usual_order_interval_days, 2) as decimal(9, 2)) as usual_order_interval_days,
        cast(round(expected_recent_orders, 2) as decimal(9, 2)) as expected_recent_orders,
        lifecycle_messages,
        lifecycle_messages_clicked,
        lifecycle_messages_converted,
        has_opted_out
    from scored
)

select * from final
