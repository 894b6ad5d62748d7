{#-
    Rule D2, second half: the billing timeline (int_subscription_base_status_intervals) with
    the renewal overlay (D4) laid over it. Overlay episodes only replace a base `active`
    status: overlay `cancelled` beats overlay `past_due`, and every other base status
    (trialing, paused, cancelled) beats the overlay. Change points of both are stacked and
    collapsed into intervals (gaps and islands).
-#}
with

base_intervals as (
    select * from {{ ref('int_subscription_base_status_intervals') }}
),

renewals as (
    select * from {{ ref('int_renewals_classified') }}
),

attempts as (
    select * from {{ ref('int_payment_attempts_unified') }}
),

events as (
    select * from {{ ref('int_subscription_events_ordered') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

known_subscriptions as (
    select distinct subscription_id
    from base_intervals
),

rebills as (
    select renewals.*
    from renewals
    inner join known_subscriptions
        on renewals.subscription_id = known_subscriptions.subscription_id
),

past_due_episodes as (
    -- a failed first attempt: past_due until an approved attempt or the window's close
    select
        subscription_id,
        invoice_id,
        first_attempt_at as episode_start_at,
        case
            when first_approved_at <= window_closes_at then first_approved_at
            else window_closes_at
        end as episode_end_at,
        case
            when first_approved_at <= window_closes_at then 'payment_approved'
            else 'window_closed'
        end as end_cause
    from rebills
    where first_attempt_at is not null and not is_first_attempt_approved
),

rebill_approvals as (
    select
        rebills.subscription_id,
        attempts.attempted_at
    from attempts
    inner join rebills
        on attempts.invoice_id = rebills.invoice_id
    where attempts.is_approved
),

reactivations as (
    select
        subscription_id,
        subscription_event_id,
        occurred_at
    from events
    where not is_orphan and event_type = 'reactivated'
),

closed_unpaid as (
    select
        subscription_id,
        invoice_id,
        window_closes_at
    from rebills
    where outcome in ('failed', 'late_recovery')
),

next_approvals as (
    select
        closed_unpaid.invoice_id,
        min(rebill_approvals.attempted_at) as next_approved_at
    from closed_unpaid
    inner join rebill_approvals
        on
            closed_unpaid.subscription_id = rebill_approvals.subscription_id
            and closed_unpaid.window_closes_at < rebill_approvals.attempted_at
    group by 1
),

next_reactivations as (
    select
        invoice_id,
        subscription_event_id,
        occurred_at
    from (
        select
            closed_unpaid.invoice_id,
            reactivations.subscription_event_id,
            reactivations.occurred_at,
            row_number() over (
                partition by closed_unpaid.invoice_id
                order by reactivations.occurred_at, reactivations.subscription_event_id
            ) as reactivation_rank
        from closed_unpaid
        inner join reactivations
            on
                closed_unpaid.subscription_id = reactivations.subscription_id
                and closed_unpaid.window_closes_at < reactivations.occurred_at
    ) as ranked
    where reactivation_rank = 1
),

cancel_ends as (
    select
        closed_unpaid.subscription_id,
        closed_unpaid.invoice_id,
        closed_unpaid.window_closes_at,
        next_approvals.next_approved_at,
        next_reactivations.occurred_at as next_reactivated_at,
        next_reactivations.subscription_event_id as next_reactivation_event_id,
        coalesce(
            next_reactivations.occurred_at < next_approvals.next_approved_at
            or (next_reactivations.occurred_at is not null and next_approvals.next_approved_at is null),
            false
        ) as is_reactivated_first
    from closed_unpaid
    left join next_approvals
        on closed_unpaid.invoice_id = next_approvals.invoice_id
    left join next_reactivations
        on closed_unpaid.invoice_id = next_reactivations.invoice_id
),

cancel_episodes as (
    -- a window closed unpaid: cancelled until a later reactivated event or approved attempt
    select
        subscription_id,
        invoice_id,
        window_closes_at as episode_start_at,
        case when is_reactivated_first then next_reactivated_at else next_approved_at end as episode_end_at,
        case when is_reactivated_first then 'reactivated' else 'payment_approved' end as end_cause,
        case when is_reactivated_first then next_reactivation_event_id end as end_event_id
    from cancel_ends
),

change_points as (
    select
        subscription_id,
        valid_from_at as changed_at,
        cast(null as {{ dbt.type_string() }}) as end_cause,
        cast(null as {{ dbt.type_string() }}) as end_event_id
    from base_intervals

    union all

    select
        subscription_id,
        episode_start_at as changed_at,
        null as end_cause,
        null as end_event_id
    from past_due_episodes

    union all

    select
        subscription_id,
        episode_end_at as changed_at,
        end_cause,
        null as end_event_id
    from past_due_episodes
    where episode_end_at is not null

    union all

    select
        subscription_id,
        episode_start_at as changed_at,
        null as end_cause,
        null as end_event_id
    from cancel_episodes

    union all

    select
        subscription_id,
        episode_end_at as changed_at,
        end_cause,
        end_event_id
    from cancel_episodes
    where episode_end_at is not null
),

instants as (
    -- one row per instant; when overlay episodes end there, the first-ranked end cause
    select
        subscription_id,
        changed_at,
        end_cause,
        end_event_id
    from (
        select
            change_points.*,
            row_number() over (
                partition by change_points.subscription_id, change_points.changed_at
                order by
                    case change_points.end_cause
                        when 'reactivated' then 1
                        when 'payment_approved' then 2
                        when 'window_closed' then 3
                        else 4
                    end
            ) as instant_rank
        from change_points
        cross join as_of
        where {{ within_as_of('change_points.changed_at') }}
    ) as ranked
    where instant_rank = 1
),

instant_base as (
    -- the billing status holding at each instant (instants before the start drop out)
    select
        instants.subscription_id,
        instants.changed_at,
        instants.end_cause,
        instants.end_event_id,
        base_intervals.account_id,
        base_intervals.status as base_status,
        base_intervals.valid_from_at as base_valid_from_at,
        base_intervals.cause as base_cause,
        base_intervals.cause_event_id as base_cause_event_id
    from instants
    inner join base_intervals
        on
            instants.subscription_id = base_intervals.subscription_id
            and instants.changed_at >= base_intervals.valid_from_at
            and (base_intervals.valid_to_at is null or instants.changed_at < base_intervals.valid_to_at)
),

instant_past_due as (
    -- the latest-started past_due episode covering each instant
    select
        subscription_id,
        changed_at,
        invoice_id
    from (
        select
            instants.subscription_id,
            instants.changed_at,
            past_due_episodes.invoice_id,
            row_number() over (
                partition by instants.subscription_id, instants.changed_at
                order by past_due_episodes.episode_start_at desc, past_due_episodes.invoice_id desc
            ) as episode_rank
        from instants
        inner join past_due_episodes
            on
                instants.subscription_id = past_due_episodes.subscription_id
                and instants.changed_at >= past_due_episodes.episode_start_at
                and (
                    past_due_episodes.episode_end_at is null
                    or instants.changed_at < past_due_episodes.episode_end_at
                )
    ) as ranked
    where episode_rank = 1
),

instant_cancelled as (
    -- the latest-started overlay cancellation covering each instant
    select
        subscription_id,
        changed_at,
        invoice_id
    from (
        select
            instants.subscription_id,
            instants.changed_at,
            cancel_episodes.invoice_id,
            row_number() over (
                partition by instants.subscription_id, instants.changed_at
                order by cancel_episodes.episode_start_at desc, cancel_episodes.invoice_id desc
            ) as episode_rank
        from instants
        inner join cancel_episodes
            on
                instants.subscription_id = cancel_episodes.subscription_id
                and instants.changed_at >= cancel_episodes.episode_start_at
                and (
                    cancel_episodes.episode_end_at is null
                    or instants.changed_at < cancel_episodes.episode_end_at
                )
    ) as ranked
    where episode_rank = 1
),

instant_status as (
    select
        instant_base.subscription_id,
        instant_base.account_id,
        instant_base.changed_at,
        case
            when instant_base.base_status = 'active' and instant_cancelled.invoice_id is not null
                then 'cancelled'
            when instant_base.base_status = 'active' and instant_past_due.invoice_id is not null
                then 'past_due'
            else instant_base.base_status
        end as status,
        case
            when instant_base.base_status = 'active' and instant_cancelled.invoice_id is not null
                then 'window_closed_unpaid'
            when instant_base.base_status = 'active' and instant_past_due.invoice_id is not null
                then 'first_attempt_failed'
            when instant_base.base_valid_from_at = instant_base.changed_at
                then instant_base.base_cause
            else instant_base.end_cause
        end as cause,
        case
            when instant_base.base_status = 'active' and instant_cancelled.invoice_id is not null
                then null
            when instant_base.base_status = 'active' and instant_past_due.invoice_id is not null
                then null
            when instant_base.base_valid_from_at = instant_base.changed_at
                then instant_base.base_cause_event_id
            else instant_base.end_event_id
        end as cause_event_id,
        case
            when instant_base.base_status = 'active' and instant_cancelled.invoice_id is not null
                then instant_cancelled.invoice_id
            when instant_base.base_status = 'active' and instant_past_due.invoice_id is not null
                then instant_past_due.invoice_id
        end as cause_invoice_id
    from instant_base
    left join instant_past_due
        on
            instant_base.subscription_id = instant_past_due.subscription_id
            and instant_base.changed_at = instant_past_due.changed_at
    left join instant_cancelled
        on
            instant_base.subscription_id = instant_cancelled.subscription_id
            and instant_base.changed_at = instant_cancelled.changed_at
),

with_previous as (
    select
        *,
        lag(status) over (partition by subscription_id order by changed_at) as previous_status
    from instant_status
),

status_changes as (
    select *
    from with_previous
    where previous_status is null or status <> previous_status
),

final as (
    select
        subscription_id,
        account_id,
        status,
        changed_at as valid_from_at,
        lead(changed_at) over (partition by subscription_id order by changed_at) as valid_to_at,
        cause,
        cause_event_id,
        cause_invoice_id,
        cause in ('window_closed_unpaid', 'first_attempt_failed') as is_renewal_overlay
    from status_changes
)

select * from final
