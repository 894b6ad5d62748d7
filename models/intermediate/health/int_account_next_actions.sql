{#-
    Rule D9: one next action per account at as_of. Every playbook rule is evaluated against the
    account's health snapshot (int_account_health_scores at the as_of point); the matching rule
    with the lowest `priority` number in the action_playbook seed wins. The catch-all
    `review_account_health` matches every account in `watch` or `at_risk` or with a renewal
    past due, so each of them gets an action. Accounts that no rule matches are not queued.
    The queue is ranked by value segment (top, core, tail), trailing 12-month net revenue
    (desc), then account id.
-#}

{%- set num = "cast(__x__ as " ~ dbt.type_string() ~ ")" -%}
{%- set renewal_text -%}
case
    when has_renewal_past_due
        then {{ dbt.concat([
            "'renewal past due since '",
            "coalesce(" ~ num | replace('__x__', 'cast(past_due_since_at as date)') ~ ", 'unknown')",
        ]) }}
    when days_to_next_renewal is null then 'no renewal scheduled'
    else {{ dbt.concat(["'next renewal in '", num | replace('__x__', 'days_to_next_renewal'), "' days'"]) }}
end
{%- endset -%}

with

scores as (
    select * from {{ ref('int_account_health_scores') }}
    where point_type = 'as_of'
),

playbook as (
    select * from {{ ref('action_playbook') }}
),

rule_matches as (
    select
        account_id,
        'white_glove_recovery' as action,
        {{ dbt.concat([
            "'Top-segment account (trailing 12-month net revenue '",
            num | replace('__x__', 'trailing_12m_net_revenue_usd'),
            "' USD) with a renewal past due since '",
            "coalesce(" ~ num | replace('__x__', 'cast(past_due_since_at as date)') ~ ", 'unknown')",
        ]) }} as rule_reason
    from scores
    where has_renewal_past_due and value_segment = 'top'

    union all

    select
        account_id,
        'request_payment_method_update' as action,
        {{ dbt.concat([
            "'Hard decline ('",
            "coalesce(latest_decline_code, 'unknown')",
            "') on '",
            "latest_decline_gateway",
            "' on '",
            num | replace('__x__', 'cast(latest_decline_at as date)'),
            "', no approval or payment-method update since; '",
            renewal_text,
        ]) }} as rule_reason
    from scores
    where has_failing_payment_method and latest_decline_class = 'hard'

    union all

    select
        account_id,
        'reroute_to_backup_gateway' as action,
        {{ dbt.concat([
            "'Soft decline ('",
            "coalesce(latest_decline_code, 'unknown')",
            "') on processor_a on '",
            num | replace('__x__', 'cast(latest_decline_at as date)'),
            "', no approval or payment-method update since; '",
            renewal_text,
        ]) }} as rule_reason
    from scores
    where
        has_failing_payment_method
        and latest_decline_class = 'soft'
        and latest_decline_gateway = 'processor_a'

    union all

    select
        account_id,
        'escalate_support' as action,
        {{ dbt.concat([
            num | replace('__x__', 'support_tickets'),
            "' ticket(s) in the last " ~ var('health_support_window_days') ~ " days (weighted '",
            num | replace('__x__', 'support_weighted_tickets'),
            "')'",
            "case when has_bad_satisfaction then ', a bad satisfaction rating' else '' end",
            "case when has_cancel_request then ', a cancel request' else '' end",
        ]) }} as rule_reason
    from scores
    where has_bad_satisfaction or has_cancel_request

    union all

    select
        account_id,
        'suppress_upsell_until_stable' as action,
        'Health tier watch: hold upsells until it is healthy again' as rule_reason
    from scores
    where health_tier = 'watch'

    union all

    select
        account_id,
        'send_upgrade_offer' as action,
        {{ dbt.concat([
            "'Healthy '",
            "value_segment",
            "'-segment account: '",
            num | replace('__x__', 'payment_first_attempts_approved'),
            "' of '",
            num | replace('__x__', 'payment_first_attempts'),
            "' first attempts approved in the last " ~ var('health_payment_window_days') ~ " days, '",
            num | replace('__x__', 'recent_orders'),
            "' orders in the last " ~ var('health_orders_window_days') ~ " days'",
        ]) }} as rule_reason
    from scores
    where
        health_tier = 'healthy'
        and account_status = 'active'
        and value_segment in ('top', 'core')
        and payment_first_attempts > 0
        and payment_first_attempts_approved = payment_first_attempts
        and not has_renewal_past_due
        and recent_orders >= {{ var('action_upgrade_min_recent_orders') }}

    union all

    select
        account_id,
        'review_account_health' as action,
        case
            when has_renewal_past_due
                then {{ dbt.concat([
                    "'Renewal past due since '",
                    "coalesce(" ~ num | replace('__x__', 'cast(past_due_since_at as date)') ~ ", 'unknown')",
                    "'; no specific play matches'",
                ]) }}
            else {{ dbt.concat(["'Health tier '", "health_tier", "'; no specific play matches'"]) }}
        end as rule_reason
    from scores
    where health_tier in ('watch', 'at_risk') or has_renewal_past_due
),

ranked_matches as (
    select
        rule_matches.account_id,
        rule_matches.action,
        rule_matches.rule_reason,
        playbook.owner,
        playbook.trigger,
        playbook.priority,
        playbook.description as action_description,
        row_number() over (
            partition by rule_matches.account_id
            order by playbook.priority, rule_matches.action
        ) as match_rank,
        count(*) over (partition by rule_matches.account_id) as matched_rules
    from rule_matches
    inner join playbook
        on rule_matches.action = playbook.action
),

next_actions as (
    select
        ranked_matches.account_id,
        ranked_matches.action,
        ranked_matches.owner,
        ranked_matches.trigger,
        ranked_matches.priority,
        ranked_matches.action_description,
        ranked_matches.matched_rules,
        {{ dbt.concat([
            "ranked_matches.rule_reason",
            "'. Health '",
            num | replace('__x__', 'scores.health_score'),
            "' ('",
            "scores.health_tier",
            "'): payment '",
            num | replace('__x__', 'scores.payment_score'),
            "', renewal '",
            num | replace('__x__', 'scores.renewal_score'),
            "', support '",
            num | replace('__x__', 'scores.support_score'),
            "', orders '",
            num | replace('__x__', 'scores.orders_score'),
            "', engagement '",
            num | replace('__x__', 'scores.engagement_score'),
            "'.'",
        ]) }} as reason,
        scores.evaluated_at,
        scores.health_score,
        scores.health_tier,
        scores.has_renewal_past_due,
        scores.value_segment,
        scores.trailing_12m_net_revenue_usd
    from ranked_matches
    inner join scores
        on ranked_matches.account_id = scores.account_id
    where ranked_matches.match_rank = 1
),

final as (
    select
        next_actions.*,
        row_number() over (
            order by
                case next_actions.value_segment when 'top' then 1 when 'core' then 2 else 3 end asc,
                next_actions.trailing_12m_net_revenue_usd desc,
                next_actions.account_id asc
        ) as queue_rank
    from next_actions
)

select * from final
