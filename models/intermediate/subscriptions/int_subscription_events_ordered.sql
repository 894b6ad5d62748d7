{#-
    Rule D2: the subscription events that build every timeline, in their one order.
    Staging already de-duplicated them (D0); here they are limited to as_of, attached to the
    subscription's account, ordered by occurred_at then subscription_event_id, and numbered.
    Orphans (a subscription billing never exported) are kept with is_orphan = true for the
    unmatched audit; no timeline uses them.
-#}
with

events as (
    select * from {{ ref('stg_billing__subscription_events') }}
),

subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

events_within_as_of as (
    select events.*
    from events
    cross join as_of
    where {{ within_as_of('events.occurred_at') }}
),

attached as (
    select
        events_within_as_of.subscription_event_id,
        events_within_as_of.subscription_id,
        subscriptions.customer_id as account_id,
        events_within_as_of.event_type,
        events_within_as_of.occurred_at,
        events_within_as_of.previous_plan_id,
        events_within_as_of.plan_id,
        events_within_as_of.previous_quantity,
        events_within_as_of.quantity,
        events_within_as_of.reason,
        subscriptions.subscription_id is null as is_orphan
    from events_within_as_of
    left join subscriptions
        on events_within_as_of.subscription_id = subscriptions.subscription_id
),

final as (
    select
        subscription_event_id,
        subscription_id,
        account_id,
        event_type,
        occurred_at,
        previous_plan_id,
        plan_id,
        previous_quantity,
        quantity,
        reason,
        is_orphan,
        row_number() over (
            partition by subscription_id
            order by occurred_at, subscription_event_id
        ) as event_sequence
    from attached
)

select * from final
