{#-
    Rule D10, payment event-triggered engagement: one row per payment event (every failed or
    approved attempt on either gateway, `int_payment_attempts_unified`) with the automated
    message that followed it, if any. The message of an event is the FIRST automated message
    (`sent`) whose send time lies in [attempt, attempt + `message_sla_minutes`] (both ends
    inclusive) and that belongs to the event: a message whose `trigger_ref` is set belongs to
    the event it names (this attempt's id or its invoice's id), whoever its recipient resolved
    to, even an unmatched one; a message without `trigger_ref` belongs to the events of its
    recipient's account. A message sent after the SLA (cus_hal's recovery SMS 43 minutes after
    the processor B decline) leaves the event without a message. Attempts and messages meet on
    one equi-join over link keys (not a join on an OR), so it stays a hash join at scale.
    Scale: a table by default; with the var `event_models_materialized` = 'incremental' a run
    recomputes only the attempts since the newest built attempt less `incremental_lookback_days`
    (a click that arrives later than that after its attempt needs `--full-refresh`).
-#}
{{ config(
    materialized=var('event_models_materialized'),
    unique_key='attempt_id',
    incremental_strategy=var('event_models_incremental_strategy'),
    on_schema_change='fail',
) }}
{%- set sla_minutes = var('message_sla_minutes') -%}
with

attempts as (
    select * from {{ ref('int_payment_attempts_unified') }}
    {%- if is_incremental() %}
    -- incremental: only attempts inside the lookback window are recomputed
    where attempted_at >= {{ account_kpis.incremental_watermark('attempted_at') }}
    {%- endif %}
),

messages as (
    select * from {{ ref('int_messages_sent') }}
    where is_automated
    {%- if is_incremental() %}
        -- a message can only belong to an attempt sent at or before it
        and sent_at >= {{ account_kpis.incremental_watermark('attempted_at') }}
    {%- endif %}
),

-- The keys a message can name an attempt by: its own id and its invoice's id (through
-- trigger_ref), and its account (messages without trigger_ref).
attempt_link_keys as (
    select
        attempt_id,
        attempted_at,
        attempt_id as link_key,
        'trigger_ref' as link_kind
    from attempts
    union all
    select
        attempt_id,
        attempted_at,
        invoice_id as link_key,
        'trigger_ref' as link_kind
    from attempts
    where invoice_id is not null
    union all
    select
        attempt_id,
        attempted_at,
        account_id as link_key,
        'account' as link_kind
    from attempts
    where account_id is not null
),

message_link_keys as (
    select
        message_id,
        flow,
        trigger_ref,
        sent_at,
        is_engaged,
        coalesce(trigger_ref, account_id) as link_key,
        case when trigger_ref is not null then 'trigger_ref' else 'account' end as link_kind
    from messages
    where trigger_ref is not null or account_id is not null
),

candidates as (
    select
        attempt_link_keys.attempt_id,
        message_link_keys.message_id,
        message_link_keys.flow,
        message_link_keys.trigger_ref,
        message_link_keys.sent_at,
        message_link_keys.is_engaged,
        message_link_keys.link_kind = 'trigger_ref' as is_linked_by_trigger_ref
    from attempt_link_keys
    inner join message_link_keys
        on
            attempt_link_keys.link_key = message_link_keys.link_key
            and attempt_link_keys.link_kind = message_link_keys.link_kind
            and attempt_link_keys.attempted_at <= message_link_keys.sent_at
            and message_link_keys.sent_at <= {{ dbt.dateadd('minute', sla_minutes, 'attempt_link_keys.attempted_at') }}
),

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.attempt_id
            order by candidates.sent_at, candidates.message_id
        ) as message_rank
    from candidates
),

first_messages as (
    select *
    from ranked
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
        cast({{ dbt.datediff('attempts.attempted_at', 'first_messages.sent_at', 'second') }} as {{ dbt.type_bigint() }})
            as seconds_to_send,
        cast(
            {{ account_kpis.divide_decimals(
                dbt.datediff('attempts.attempted_at', 'first_messages.sent_at', 'second'), '60', 2, 0
            ) }} as decimal(18, 2)
        ) as minutes_to_send,
        first_messages.message_id is not null as has_message,
        coalesce(first_messages.is_engaged, false) as is_engaged
    from attempts
    left join first_messages
        on attempts.attempt_id = first_messages.attempt_id
)

select * from final
