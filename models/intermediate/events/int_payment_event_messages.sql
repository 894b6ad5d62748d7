{#-
    Rule D10, payment event-triggered engagement: one row per payment event (every failed or
    approved attempt on either gateway, `int_payment_attempts_unified`) with the automated
    message that followed it, if any. The message of an event is the FIRST automated message
    (`sent`) to the same account whose send time lies in [attempt, attempt +
    `message_sla_minutes`] (both ends inclusive), linked by `trigger_ref` when the message has
    one: a message whose `trigger_ref` is set must name this attempt's id or its invoice's id
    (a message triggered by another payment event is that event's, not this one's); a message
    without `trigger_ref` links by account and time alone. The event is engaged when that
    message was later clicked or converted. A message sent after the SLA (cus_hal's recovery SMS
    43 minutes after the processor B decline) leaves the event without a message.
-#}
{%- set sla_minutes = var('message_sla_minutes') -%}

with

attempts as (
    select * from {{ ref('int_payment_attempts_unified') }}
),

messages as (
    select * from {{ ref('int_messages_sent') }}
    where is_automated and account_id is not null
),

candidates as (
    select
        attempts.attempt_id,
        messages.message_id,
        messages.flow,
        messages.trigger_ref,
        messages.sent_at,
        messages.is_engaged,
        messages.trigger_ref is not null as is_linked_by_trigger_ref,
        row_number() over (
            partition by attempts.attempt_id
            order by messages.sent_at, messages.message_id
        ) as message_rank
    from attempts
    inner join messages
        on
            attempts.account_id = messages.account_id
            and attempts.attempted_at <= messages.sent_at
            and messages.sent_at <= {{ dbt.dateadd('minute', sla_minutes, 'attempts.attempted_at') }}
            and (
                messages.trigger_ref is null
                or attempts.attempt_id = messages.trigger_ref
                or attempts.invoice_id = messages.trigger_ref
            )
),

first_messages as (
    select *
    from candidates
    where message_rank = 1
),

final as (
    select
        attempts.attempt_id,
        attempts.gateway,
        attempts.invoice_id,
        attempts.account_id,
        attempts.attempted_at,
        attempts.attempted_month as event_month,
        attempts.is_approved,
        case when attempts.is_approved then 'payment_approved' else 'payment_failed' end as payment_event_type,
        first_messages.message_id,
        first_messages.flow as message_flow,
        first_messages.trigger_ref as message_trigger_ref,
        coalesce(first_messages.is_linked_by_trigger_ref, false) as is_linked_by_trigger_ref,
        first_messages.sent_at as message_sent_at,
        cast(
            round(
                cast({{ dbt.datediff('attempts.attempted_at', 'first_messages.sent_at', 'second') }} as decimal(18, 4))
                / 60,
                2
            ) as decimal(18, 2)
        ) as minutes_to_send,
        first_messages.message_id is not null as has_message,
        coalesce(first_messages.is_engaged, false) as is_engaged
    from attempts
    left join first_messages
        on attempts.attempt_id = first_messages.attempt_id
)

select * from final
