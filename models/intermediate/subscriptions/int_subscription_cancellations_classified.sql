{#-
    Rule D2: every cancellation, classified voluntary or involuntary. A cancellation is an
    entry into `cancelled` on the reconciled timeline (int_subscription_status_intervals): a
    `canceled` event, the snapshot's canceled_at (subscriptions without events), or the
    overlay's cancellation at a window's close. A `canceled` event that finds the subscription
    already cancelled is the same cancellation, not a new one: it only lends its reason.
-#}
with

status_intervals as (
    select * from {{ ref('int_subscription_status_intervals') }}
),

events as (
    select * from {{ ref('int_subscription_events_ordered') }}
),

subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

renewals as (
    select * from {{ ref('int_renewals_classified') }}
),

cancellations as (
    select
        subscription_id,
        account_id,
        valid_from_at as cancelled_at,
        valid_to_at as cancellation_ended_at,
        cause,
        cause_event_id,
        cause_invoice_id,
        case
            when cause = 'window_closed_unpaid' then 'renewal_overlay'
            when cause = 'snapshot_canceled' then 'snapshot'
            else 'event'
        end as cancellation_origin
    from status_intervals
    where status = 'cancelled'
),

cancel_events as (
    select
        subscription_id,
        subscription_event_id,
        occurred_at,
        event_sequence,
        reason
    from events
    where not is_orphan and event_type = 'canceled'
),

first_cancel_event_in_stretch as (
    -- the first `canceled` event inside the cancelled stretch (its own, or a later confirmation)
    select
        subscription_id,
        cancelled_at,
        subscription_event_id,
        reason
    from (
        select
            cancellations.subscription_id,
            cancellations.cancelled_at,
            cancel_events.subscription_event_id,
            cancel_events.reason,
            row_number() over (
                partition by cancellations.subscription_id, cancellations.cancelled_at
                order by cancel_events.event_sequence
            ) as event_rank
        from cancellations
        inner join cancel_events
            on
                cancellations.subscription_id = cancel_events.subscription_id
                and cancellations.cancelled_at <= cancel_events.occurred_at
                and (
                    cancellations.cancellation_ended_at is null
                    or cancellations.cancellation_ended_at > cancel_events.occurred_at
                )
    ) as ranked
    where event_rank = 1
),

causing_events as (
    select
        subscription_event_id,
        reason
    from cancel_events
),

snapshot_in_stretch as (
    -- the snapshot's cancellation (source, free-text reason) belongs to the stretch holding canceled_at
    select
        cancellations.subscription_id,
        cancellations.cancelled_at
    from cancellations
    inner join subscriptions
        on
            cancellations.subscription_id = subscriptions.subscription_id
            and cancellations.cancelled_at <= subscriptions.canceled_at
            and (
                cancellations.cancellation_ended_at is null
                or cancellations.cancellation_ended_at > subscriptions.canceled_at
            )
),

rebills_before as (
    -- the latest rebill created before each cancellation
    select
        subscription_id,
        cancelled_at,
        invoice_id,
        first_attempt_at,
        is_first_attempt_approved,
        first_approved_at
    from (
        select
            cancellations.subscription_id,
            cancellations.cancelled_at,
            renewals.invoice_id,
            renewals.first_attempt_at,
            renewals.is_first_attempt_approved,
            renewals.first_approved_at,
            row_number() over (
                partition by cancellations.subscription_id, cancellations.cancelled_at
                order by renewals.created_at desc, renewals.invoice_id desc
            ) as rebill_rank
        from cancellations
        inner join renewals
            on
                cancellations.subscription_id = renewals.subscription_id
                and cancellations.cancelled_at > renewals.created_at
    ) as ranked
    where rebill_rank = 1
),

described as (
    select
        cancellations.subscription_id,
        cancellations.account_id,
        cancellations.cancelled_at,
        cancellations.cancellation_ended_at,
        cancellations.cancellation_origin,
        coalesce(
            cancellations.cause_event_id, first_cancel_event_in_stretch.subscription_event_id
        ) as cancellation_event_id,
        case
            when cancellations.cancellation_origin = 'snapshot' then subscriptions.cancellation_source
            else coalesce(
                causing_events.reason,
                first_cancel_event_in_stretch.reason,
                case when snapshot_in_stretch.subscription_id is not null then subscriptions.cancellation_source end
            )
        end as cancellation_source,
        case
            when snapshot_in_stretch.subscription_id is not null then subscriptions.cancellation_reason
        end as cancellation_reason,
        coalesce(cancellations.cause_invoice_id, rebills_before.invoice_id) as rebill_invoice_id,
        coalesce(
            rebills_before.first_attempt_at < cancellations.cancelled_at
            and not rebills_before.is_first_attempt_approved
            and (
                rebills_before.first_approved_at is null
                or rebills_before.first_approved_at >= cancellations.cancelled_at
            ),
            false
        ) as has_unpaid_failed_rebill
    from cancellations
    left join first_cancel_event_in_stretch
        on
            cancellations.subscription_id = first_cancel_event_in_stretch.subscription_id
            and cancellations.cancelled_at = first_cancel_event_in_stretch.cancelled_at
    left join causing_events
        on cancellations.cause_event_id = causing_events.subscription_event_id
    left join subscriptions
        on cancellations.subscription_id = subscriptions.subscription_id
    left join snapshot_in_stretch
        on
            cancellations.subscription_id = snapshot_in_stretch.subscription_id
            and cancellations.cancelled_at = snapshot_in_stretch.cancelled_at
    left join rebills_before
        on
            cancellations.subscription_id = rebills_before.subscription_id
            and cancellations.cancelled_at = rebills_before.cancelled_at
),

classified as (
    select
        *,
        case
            when cancellation_origin = 'renewal_overlay' then 'window_closed_unpaid'
            when cancellation_source = 'dunning' then 'dunning'
            when cancellation_source = 'fraud_review' then 'fraud_review'
            when has_unpaid_failed_rebill then 'failed_rebill_before_cancel'
        end as involuntary_cause
    from described
),

final as (
    select
        subscription_id,
        account_id,
        cancelled_at,
        cancellation_ended_at,
        cancellation_origin,
        cancellation_event_id,
        cancellation_source,
        cancellation_reason,
        rebill_invoice_id,
        has_unpaid_failed_rebill,
        involuntary_cause is not null as is_involuntary,
        involuntary_cause,
        coalesce(cancellation_source = 'fraud_review' or cancellation_reason = 'fraud', false) as is_fraud
    from classified
)

select * from final
