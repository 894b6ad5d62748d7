{#-
    Rule D2, first half: each subscription's status timeline from billing alone (events, or
    the snapshot for a subscription with no events), before the renewal overlay. Change
    points are stacked and collapsed into intervals with window functions (gaps and islands).
-#}
with

subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

events as (
    select * from {{ ref('int_subscription_events_ordered') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

known_events as (
    -- unknown event types change nothing (D0) and do not count as "having events"
    select *
    from events
    where not is_orphan and event_type <> 'unknown'
),

created_events as (
    select
        subscription_id,
        subscription_event_id,
        occurred_at,
        row_number() over (partition by subscription_id order by event_sequence) as created_rank
    from known_events
    where event_type = 'created'
),

event_summary as (
    select
        subscription_id,
        count(*) as known_event_count,
        min(case when event_type = 'trial_converted' then occurred_at end) as first_trial_converted_at
    from known_events
    group by 1
),

subscription_starts as (
    select
        subscriptions.subscription_id,
        subscriptions.customer_id as account_id,
        coalesce(created_events.occurred_at, subscriptions.created_at) as started_at,
        created_events.subscription_event_id as created_event_id,
        event_summary.subscription_id is not null as has_events,
        subscriptions.trial_end_at,
        event_summary.first_trial_converted_at,
        subscriptions.canceled_at,
        subscriptions.pause_start_at,
        subscriptions.pause_end_at
    from subscriptions
    left join created_events
        on
            subscriptions.subscription_id = created_events.subscription_id
            and created_events.created_rank = 1
    left join event_summary
        on subscriptions.subscription_id = event_summary.subscription_id
),

trial_windows as (
    -- trialing from the start until the first of trial_converted and the snapshot's trial_end
    select
        *,
        case
            when first_trial_converted_at is null then trial_end_at
            when trial_end_at is null then first_trial_converted_at
            when trial_end_at < first_trial_converted_at then trial_end_at
            else first_trial_converted_at
        end as trial_ends_at
    from subscription_starts
    where started_at is not null
),

start_points as (
    select
        subscription_id,
        started_at as changed_at,
        0 as point_order,
        case when trial_ends_at > started_at then 'trialing' else 'active' end as status,
        case when created_event_id is not null then 'created' else 'snapshot_created' end as cause,
        created_event_id as cause_event_id
    from trial_windows
),

event_points as (
    -- an event dated before the start takes effect at the start, in its own order
    select
        known_events.subscription_id,
        case
            when known_events.occurred_at < trial_windows.started_at then trial_windows.started_at
            else known_events.occurred_at
        end as changed_at,
        10 + known_events.event_sequence as point_order,
        case
            when known_events.event_type = 'paused' then 'paused'
            when known_events.event_type = 'canceled' then 'cancelled'
            else 'active'
        end as status,
        known_events.event_type as cause,
        known_events.subscription_event_id as cause_event_id
    from known_events
    inner join trial_windows
        on known_events.subscription_id = trial_windows.subscription_id
    where known_events.event_type in ('trial_converted', 'resumed', 'reactivated', 'paused', 'canceled')
),

snapshot_points as (
    -- no events at all: paused between pause_start and pause_end, cancelled from canceled_at
    select
        subscription_id,
        pause_start_at as changed_at,
        2 as point_order,
        'paused' as status,
        'snapshot_pause_start' as cause,
        cast(null as {{ dbt.type_string() }}) as cause_event_id
    from trial_windows
    where
        not has_events
        and pause_start_at >= started_at
        and (canceled_at is null or pause_start_at < canceled_at)

    union all

    select
        subscription_id,
        pause_end_at as changed_at,
        3 as point_order,
        'active' as status,
        'snapshot_pause_end' as cause,
        cast(null as {{ dbt.type_string() }}) as cause_event_id
    from trial_windows
    where
        not has_events
        and pause_start_at >= started_at
        and pause_end_at > pause_start_at
        and (canceled_at is null or pause_end_at < canceled_at)

    union all

    select
        subscription_id,
        case when canceled_at < started_at then started_at else canceled_at end as changed_at,
        4 as point_order,
        'cancelled' as status,
        'snapshot_canceled' as cause,
        cast(null as {{ dbt.type_string() }}) as cause_event_id
    from trial_windows
    where not has_events and canceled_at is not null
),

status_points as (
    select * from start_points
    union all
    select * from event_points
    union all
    select * from snapshot_points
),

first_status_changes as (
    select
        subscription_id,
        min(changed_at) as first_changed_at
    from status_points
    where point_order > 0
    group by 1
),

trial_end_points as (
    -- the snapshot's trial_end ends a trial only if nothing else changed the status first
    select
        trial_windows.subscription_id,
        trial_windows.trial_end_at as changed_at,
        1 as point_order,
        'active' as status,
        'trial_end' as cause,
        cast(null as {{ dbt.type_string() }}) as cause_event_id
    from trial_windows
    left join first_status_changes
        on trial_windows.subscription_id = first_status_changes.subscription_id
    where
        trial_windows.trial_end_at > trial_windows.started_at
        and trial_windows.trial_end_at = trial_windows.trial_ends_at
        and (
            first_status_changes.first_changed_at is null
            or first_status_changes.first_changed_at >= trial_windows.trial_end_at
        )
),

all_points as (
    select all_status_points.*
    from (
        select * from status_points
        union all
        select * from trial_end_points
    ) as all_status_points
    cross join as_of
    where {{ within_as_of('all_status_points.changed_at') }}
),

last_point_per_instant as (
    -- simultaneous points: the status after the last of them holds from that instant
    select
        *,
        row_number() over (
            partition by subscription_id, changed_at
            order by point_order desc
        ) as instant_rank
    from all_points
),

instants as (
    select
        subscription_id,
        changed_at,
        status,
        cause,
        cause_event_id,
        lag(status) over (partition by subscription_id order by changed_at) as previous_status
    from last_point_per_instant
    where instant_rank = 1
),

status_changes as (
    select *
    from instants
    where previous_status is null or status <> previous_status
),

final as (
    select
        status_changes.subscription_id,
        trial_windows.account_id,
        status_changes.status,
        status_changes.changed_at as valid_from_at,
        lead(status_changes.changed_at) over (
            partition by status_changes.subscription_id
            order by status_changes.changed_at
        ) as valid_to_at,
        status_changes.cause,
        status_changes.cause_event_id
    from status_changes
    inner join trial_windows
        on status_changes.subscription_id = trial_windows.subscription_id
)

select * from final
