{#-
    Rule D10, event-driven KPIs per reported month: payment event-triggered engagement, message
    coverage and median minutes to send (payment events by attempt month); automation coverage
    of recovery and expansion touches (by touch month); upsell conversion (upsell messages by
    send month). Counts stand beside every percentage; a percentage is NULL when its
    denominator is 0. Grain: one row per reported month. Primary key: month_start.
-#}
with

months as (
    select * from {{ ref('int_reporting_months') }}
),

payment_events as (
    select * from {{ ref('int_payment_event_messages') }}
),

touches as (
    select * from {{ ref('int_recovery_expansion_touches') }}
),

upsell_messages as (
    select * from {{ ref('int_upsell_message_conversions') }}
),

payment_event_counts as (
    select
        event_month as month_start,
        count(*) as payment_events,
        sum(case when is_approved then 0 else 1 end) as payment_events_failed,
        sum(case when is_approved then 1 else 0 end) as payment_events_approved,
        sum(case when has_message then 1 else 0 end) as payment_events_with_message,
        sum(case when is_engaged then 1 else 0 end) as payment_events_engaged,
        {{ median('seconds_to_send') }} as median_seconds_to_send
    from payment_events
    group by 1
),

touch_counts as (
    select
        touch_month as month_start,
        count(*) as recovery_expansion_touches,
        sum(case when is_automated then 1 else 0 end) as automated_touches,
        sum(case when is_automated and touch_purpose = 'recovery' then 1 else 0 end) as automated_recovery_touches,
        sum(case when is_automated and touch_purpose = 'expansion' then 1 else 0 end) as automated_expansion_touches,
        sum(case when is_automated then 0 else 1 end) as human_touches
    from touches
    group by 1
),

upsell_counts as (
    select
        sent_month as month_start,
        count(*) as upsell_messages,
        sum(case when is_converted then 1 else 0 end) as upsell_messages_converted
    from upsell_messages
    group by 1
),

joined as (
    select
        months.month_start,
        coalesce(payment_event_counts.payment_events, 0) as payment_events,
        coalesce(payment_event_counts.payment_events_failed, 0) as payment_events_failed,
        coalesce(payment_event_counts.payment_events_approved, 0) as payment_events_approved,
        coalesce(payment_event_counts.payment_events_with_message, 0) as payment_events_with_message,
        coalesce(payment_event_counts.payment_events_engaged, 0) as payment_events_engaged,
        payment_event_counts.median_seconds_to_send,
        coalesce(touch_counts.recovery_expansion_touches, 0) as recovery_expansion_touches,
        coalesce(touch_counts.automated_touches, 0) as automated_touches,
        coalesce(touch_counts.automated_recovery_touches, 0) as automated_recovery_touches,
        coalesce(touch_counts.automated_expansion_touches, 0) as automated_expansion_touches,
        coalesce(touch_counts.human_touches, 0) as human_touches,
        coalesce(upsell_counts.upsell_messages, 0) as upsell_messages,
        coalesce(upsell_counts.upsell_messages_converted, 0) as upsell_messages_converted
    from months
    left join payment_event_counts
        on months.month_start = payment_event_counts.month_start
    left join touch_counts
        on months.month_start = touch_counts.month_start
    left join upsell_counts
        on months.month_start = upsell_counts.month_start
),

final as (
    select
        cast(month_start as date) as month_start,
        cast(payment_events as {{ dbt.type_int() }}) as payment_events,
        cast(payment_events_failed as {{ dbt.type_int() }}) as payment_events_failed,
        cast(payment_events_approved as {{ dbt.type_int() }}) as payment_events_approved,
        cast(payment_events_with_message as {{ dbt.type_int() }}) as payment_events_with_message,
        cast(payment_events_engaged as {{ dbt.type_int() }}) as payment_events_engaged,
        cast({{ divide_decimals('100 * payment_events_engaged', 'payment_events_with_message', 2, 0) }} as decimal(9, 2))
            as payment_event_engagement_pct,
        cast({{ divide_decimals('100 * payment_events_with_message', 'payment_events', 2, 0) }} as decimal(9, 2))
            as payment_event_coverage_pct,
        -- The median of whole seconds is exact (at worst a half second) on every engine; one
        -- exact division turns it into minutes, rounded half away from zero.
        cast({{ divide_decimals('median_seconds_to_send', '60', 2, 1) }} as decimal(9, 2)) as median_minutes_to_send,
        cast(recovery_expansion_touches as {{ dbt.type_int() }}) as recovery_expansion_touches,
        cast(automated_touches as {{ dbt.type_int() }}) as automated_touches,
        cast(automated_recovery_touches as {{ dbt.type_int() }}) as automated_recovery_touches,
        cast(automated_expansion_touches as {{ dbt.type_int() }}) as automated_expansion_touches,
        cast(human_touches as {{ dbt.type_int() }}) as human_touches,
        cast({{ divide_decimals('100 * automated_touches', 'recovery_expansion_touches', 2, 0) }} as decimal(9, 2))
            as automation_coverage_pct,
        cast(upsell_messages as {{ dbt.type_int() }}) as upsell_messages,
        cast(upsell_messages_converted as {{ dbt.type_int() }}) as upsell_messages_converted,
        cast({{ divide_decimals('100 * upsell_messages_converted', 'upsell_messages', 2, 0) }} as decimal(9, 2))
            as upsell_conversion_pct
    from joined
)

select * from final
