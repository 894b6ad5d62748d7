{#-
    Rule D3: plan and quantity of each subscription over time, as change intervals. Set by the
    latest `created`, `plan_changed` or `quantity_changed` event at or before an instant;
    before the first of them, the `created` event's values, else the earliest plan change's
    previous_plan_id / quantity change's previous_quantity, else the snapshot's. The discount
    is always the snapshot's. Intervals start at the subscription's start (D2).
-#}
with

subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

events as (
    select * from {{ ref('int_subscription_events_ordered') }}
),

base_intervals as (
    select * from {{ ref('int_subscription_base_status_intervals') }}
),

subscription_starts as (
    select
        subscription_id,
        account_id,
        min(valid_from_at) as started_at
    from base_intervals
    group by 1, 2
),

plan_events as (
    select *
    from events
    where not is_orphan and event_type in ('created', 'plan_changed', 'quantity_changed')
),

first_values_by_type as (
    select
        subscription_id,
        event_type,
        plan_id,
        quantity,
        previous_plan_id,
        previous_quantity,
        row_number() over (partition by subscription_id, event_type order by event_sequence) as type_rank
    from plan_events
),

initial_values as (
    -- per attribute: created's value, else the earliest change's previous value, else the snapshot's
    select
        subscription_starts.subscription_id,
        subscription_starts.account_id,
        subscription_starts.started_at,
        coalesce(first_created.plan_id, first_plan_change.previous_plan_id, subscriptions.plan_id) as plan_id,
        coalesce(
            first_created.quantity, first_quantity_change.previous_quantity, subscriptions.quantity
        ) as quantity,
        subscriptions.discount_pct
    from subscription_starts
    inner join subscriptions
        on subscription_starts.subscription_id = subscriptions.subscription_id
    left join first_values_by_type as first_created
        on
            subscription_starts.subscription_id = first_created.subscription_id
            and first_created.event_type = 'created'
            and first_created.type_rank = 1
    left join first_values_by_type as first_plan_change
        on
            subscription_starts.subscription_id = first_plan_change.subscription_id
            and first_plan_change.event_type = 'plan_changed'
            and first_plan_change.type_rank = 1
    left join first_values_by_type as first_quantity_change
        on
            subscription_starts.subscription_id = first_quantity_change.subscription_id
            and first_quantity_change.event_type = 'quantity_changed'
            and first_quantity_change.type_rank = 1
),

change_points as (
    select
        subscription_id,
        started_at as changed_at,
        0 as point_order,
        plan_id,
        quantity
    from initial_values

    union all

    -- an event dated before the start takes effect at the start, in its own order
    select
        plan_events.subscription_id,
        case
            when plan_events.occurred_at < initial_values.started_at then initial_values.started_at
            else plan_events.occurred_at
        end as changed_at,
        10 + plan_events.event_sequence as point_order,
        case when plan_events.event_type in ('created', 'plan_changed') then plan_events.plan_id end as plan_id,
        case
            when plan_events.event_type in ('created', 'quantity_changed') then plan_events.quantity
        end as quantity
    from plan_events
    inner join initial_values
        on plan_events.subscription_id = initial_values.subscription_id
),

fill_groups as (
    -- a missing value (e.g. quantity on plan_changed) keeps the one set before it
    select
        *,
        count(plan_id) over (
            partition by subscription_id
            order by changed_at, point_order
            rows between unbounded preceding and current row
        ) as plan_group,
        count(quantity) over (
            partition by subscription_id
            order by changed_at, point_order
            rows between unbounded preceding and current row
        ) as quantity_group
    from change_points
),

filled as (
    select
        subscription_id,
        changed_at,
        point_order,
        max(plan_id) over (partition by subscription_id, plan_group) as plan_id,
        max(quantity) over (partition by subscription_id, quantity_group) as quantity
    from fill_groups
),

last_point_per_instant as (
    select
        *,
        row_number() over (
            partition by subscription_id, changed_at
            order by point_order desc
        ) as instant_rank
    from filled
),

with_previous as (
    select
        subscription_id,
        changed_at,
        plan_id,
        quantity,
        lag(plan_id) over (partition by subscription_id order by changed_at) as previous_plan_id,
        lag(quantity) over (partition by subscription_id order by changed_at) as previous_quantity,
        row_number() over (partition by subscription_id order by changed_at) as instant_number
    from last_point_per_instant
    where instant_rank = 1
),

plan_changes as (
    select *
    from with_previous
    where
        instant_number = 1
        or not (plan_id = previous_plan_id and quantity = previous_quantity)
        or (plan_id is null) <> (previous_plan_id is null)
        or (quantity is null) <> (previous_quantity is null)
),

final as (
    select
        plan_changes.subscription_id,
        initial_values.account_id,
        plan_changes.plan_id,
        plan_changes.quantity,
        initial_values.discount_pct,
        plan_changes.changed_at as valid_from_at,
        lead(plan_changes.changed_at) over (
            partition by plan_changes.subscription_id
            order by plan_changes.changed_at
        ) as valid_to_at
    from plan_changes
    inner join initial_values
        on plan_changes.subscription_id = initial_values.subscription_id
)

select * from final
