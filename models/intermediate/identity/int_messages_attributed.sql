{#-
    Rule D1 (account) for messaging events: the recipient's email hash through the email keys
    of `int_identity_keys` (customer email, then attached CRM contact email), else the
    recipient's phone hash through the phone keys (the phone of a CRM contact already
    attached), else unmatched. Every staged event is kept with all its columns; an orphan is
    flagged `is_unmatched` and counted in the identity audit.
-#}
with

events as (
    select * from {{ ref('stg_messaging__events') }}
),

email_keys as (
    select * from {{ ref('int_identity_keys') }}
    where key_type = 'email'
),

phone_keys as (
    select * from {{ ref('int_identity_keys') }}
    where key_type = 'phone'
),

final as (
    select
        events.message_event_id,
        events.message_id,
        events.channel,
        events.recipient_email_hash,
        events.recipient_phone_hash,
        events.flow,
        events.trigger_ref,
        events.is_automated,
        events.event_type,
        events.occurred_at,
        coalesce(email_keys.account_id, phone_keys.account_id) as account_id,
        coalesce(email_keys.key_source, phone_keys.key_source, 'unmatched') as match_rule,
        coalesce(email_keys.account_id, phone_keys.account_id) is null as is_unmatched
    from events
    left join email_keys
        on events.recipient_email_hash = email_keys.key_hash
    left join phone_keys
        on events.recipient_phone_hash = phone_keys.key_hash
)

select * from final
