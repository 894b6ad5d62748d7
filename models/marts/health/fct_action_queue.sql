{#- Rule D9: the next-action queue at as_of, one row per account a playbook rule matches. -#}
with

next_actions as (
    select * from {{ ref('int_account_next_actions') }}
),

final as (
    select
        next_actions.account_id,
        cast(next_actions.queue_rank as {{ dbt.type_int() }}) as queue_rank,
        next_actions.action,
        next_actions.owner,
        next_actions.trigger,
        next_actions.reason,
        cast(next_actions.priority as {{ dbt.type_int() }}) as priority,
        next_actions.action_description,
        cast(next_actions.matched_rules as {{ dbt.type_int() }}) as matched_rules,
        next_actions.evaluated_at,
        cast(next_actions.health_score as decimal(5, 2)) as health_score,
        next_actions.health_tier,
        next_actions.has_renewal_past_due,
        next_actions.value_segment,
        cast(next_actions.trailing_12m_net_revenue_usd as decimal(18, 2)) as trailing_12m_net_revenue_usd
    from next_actions
)

select * from final
