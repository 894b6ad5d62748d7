{#-
    Rule D9: every account of the health snapshot in `watch` or `at_risk` or with a renewal past
    due has a next action in fct_action_queue (exactly one: account_id is the queue's primary
    key), and every queued account is a scored account of the snapshot. Returns each offending
    account with what went wrong.
-#}
with

health as (
    select * from {{ ref('fct_account_health') }}
),

queue as (
    select * from {{ ref('fct_action_queue') }}
),

queue_counts as (
    select
        account_id,
        count(*) as queued_actions
    from queue
    group by 1
),

flagged_without_one_action as (
    select
        health.account_id,
        'flagged account without exactly one action' as failure
    from health
    left join queue_counts
        on health.account_id = queue_counts.account_id
    where
        (health.health_tier in ('watch', 'at_risk') or health.has_renewal_past_due)
        and coalesce(queue_counts.queued_actions, 0) <> 1
),

queued_but_not_scored as (
    select
        queue.account_id,
        'queued account missing from the health snapshot' as failure
    from queue
    left join health
        on queue.account_id = health.account_id
    where health.account_id is null
)

select * from flagged_without_one_action
union all
select * from queued_but_not_scored
