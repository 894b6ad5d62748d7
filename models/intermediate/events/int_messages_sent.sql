{#-
    Rule D10 input: one row per message that was sent (its `sent` event), with whether the
    recipient engaged with it afterwards (a later `clicked` or `converted` event of the same
    message) and the purpose of its flow for the automation-coverage KPI: `recovery`
    (payment_failed_recovery, card_update_request: the rule D4 recovery flows) or `expansion`
    (post_payment_upsell); other flows (winback, renewal_reminder, campaigns) have none.
    Events after as_of are left out.
    Scale: a table by default; with the var `event_models_materialized` = 'incremental' a run
    recomputes only the messages with an event since the newest built send less
    `incremental_lookback_days` (each from all of its events, so a late click on an older
    message is counted); an event older than that window needs `--full-refresh`.
-#}
{{ config(
    materialized=var('event_models_materialized'),
    unique_key='message_id',
    incremental_strategy=var('event_models_incremental_strategy'),
    on_schema_change='fail',
) }}
with

message_events as (
    select * from {{ ref('int_messages_attributed') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

flow_purposes as (
    select
        'payment_failed_recovery' as flow,
        'recovery' as touch_purpose
    union all
    select
        'card_update_request' as flow,
        'recovery' as touch_purpose
    union all
    select
        'post_payment_upsell' as flow,
        'expansion' as touch_purpose
),

events_in_window as (
    select message_events.*
    from message_events
    cross join as_of
    where
        message_events.message_id is not null
        and {{ within_as_of('message_events.occurred_at') }}
),

{%- if is_incremental() %}

-- incremental: the messages with an event inside the lookback window, recomputed whole
touched_messages as (
    select distinct events_in_window.message_id
    from events_in_window
    where events_in_window.occurred_at >= {{ account_kpis.incremental_watermark('sent_at') }}
),
{%- endif %}

sent_ranked as (
    select
        events_in_window.*,
        row_number() over (
            partition by events_in_window.message_id
            order by events_in_window.occurred_at, events_in_window.message_event_id
        ) as sent_rank
    from events_in_window
    {%- if is_incremental() %}
    inner join touched_messages
        on events_in_window.message_id = touched_messages.message_id
    {%- endif %}
    where events_in_window.event_type = 'sent'
),

first_sent as (
    select *
    from sent_ranked
    where sent_rank = 1
),

engagement as (
    select
        first_sent.message_id,
        min(case when events_in_window.event_type = 'clicked' then events_in_window.occurred_at end)
            as first_clicked_at,
        min(case when events_in_window.event_type = 'converted' then events_in_window.occurred_at end)
            as first_converted_at
    from first_sent
    inner join events_in_window
        on
            first_sent.message_id = events_in_window.message_id
            and first_sent.occurred_at <= events_in_window.occurred_at
            and events_in_window.event_type in ('clicked', 'converted')
    group by first_sent.message_id
),

final as (
    select
        first_sent.message_id,
        first_sent.message_event_id as sent_event_id,
        first_sent.account_id,
        first_sent.is_unmatched,
        first_sent.channel,
        first_sent.flow,
        first_sent.trigger_ref,
        coalesce(first_sent.is_automated, false) as is_automated,
        flow_purposes.touch_purpose,
        first_sent.occurred_at as sent_at,
        cast({{ dbt.date_trunc('month', 'first_sent.occurred_at') }} as date) as sent_month,
        engagement.first_clicked_at,
        engagement.first_converted_at,
        engagement.first_clicked_at is not null as is_clicked,
        engagement.first_converted_at is not null as is_converted,
        engagement.message_id is not null as is_engaged
    from first_sent
    left join flow_purposes
        on first_sent.flow = flow_purposes.flow
    left join engagement
        on first_sent.message_id = engagement.message_id
)

select * from final
