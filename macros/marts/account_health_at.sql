{#-
    Rule D8 health marts, shared by fct_account_health (`point_type` = 'as_of': the snapshot at
    as_of) and fct_account_health_history ('month_end': each reported month end, with its
    `month_start`), so both grains expose the same score, tier and components, typed alike.
    Reads int_account_health_scores; see the marts' docs for the columns.
-#}
{% macro account_health_at(point_type) %}
with

scores as (
    select * from {{ ref('int_account_health_scores') }}
),

final as (
    select
        scores.account_id,
        {%- if point_type == 'month_end' %}
        scores.month_start,
        {%- endif %}
        scores.evaluated_at,
        cast(scores.health_score as decimal(5, 2)) as health_score,
        scores.health_tier,
        cast(scores.payment_score as decimal(5, 2)) as payment_score,
        cast(scores.renewal_score as decimal(5, 2)) as renewal_score,
        cast(scores.support_score as decimal(5, 2)) as support_score,
        cast(scores.orders_score as decimal(5, 2)) as orders_score,
        cast(scores.engagement_score as decimal(5, 2)) as engagement_score,
        scores.account_status,
        scores.has_renewal_past_due,
        cast(scores.pending_rebills as {{ dbt.type_int() }}) as pending_rebills,
        scores.past_due_since_at,
        cast(scores.payment_first_attempts as {{ dbt.type_int() }}) as payment_first_attempts,
        cast(scores.payment_first_attempts_approved as {{ dbt.type_int() }}) as payment_first_attempts_approved,
        cast(scores.first_attempt_approval_pct as decimal(9, 2)) as first_attempt_approval_pct,
        scores.has_failing_payment_method,
        scores.latest_decline_at,
        scores.latest_decline_gateway,
        scores.latest_decline_code,
        scores.latest_decline_class,
        scores.next_renewal_at,
        cast(scores.days_to_next_renewal as decimal(9, 2)) as days_to_next_renewal,
        cast(scores.support_tickets as {{ dbt.type_int() }}) as support_tickets,
        cast(scores.support_weighted_tickets as {{ dbt.type_int() }}) as support_weighted_tickets,
        scores.has_bad_satisfaction,
        scores.has_cancel_request,
        cast(scores.recent_orders as {{ dbt.type_int() }}) as recent_orders,
        cast(scores.prior_orders as {{ dbt.type_int() }}) as prior_orders,
        cast(scores.usual_order_interval_days as decimal(9, 2)) as usual_order_interval_days,
        cast(scores.expected_recent_orders as decimal(9, 2)) as expected_recent_orders,
        cast(scores.lifecycle_messages as {{ dbt.type_int() }}) as lifecycle_messages,
        cast(scores.lifecycle_messages_clicked as {{ dbt.type_int() }}) as lifecycle_messages_clicked,
        cast(scores.lifecycle_messages_converted as {{ dbt.type_int() }}) as lifecycle_messages_converted,
        scores.has_opted_out,
        scores.value_segment,
        cast(scores.trailing_12m_net_revenue_usd as decimal(18, 2)) as trailing_12m_net_revenue_usd
    from scores
    where scores.point_type = '{{ point_type }}'
)

select * from final
{% endmacro %}
