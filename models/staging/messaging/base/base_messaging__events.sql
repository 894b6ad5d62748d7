{#- Every raw messaging event row, parsed, with its quarantine reason (rule D0). The recipient
    leaves only as a hash: an email hash when the raw value contains '@', else a phone hash.
    Staging and the quarantine model both read this; nothing else does. -#}
{%- set raw_columns = [
    'event_id', 'message_id', 'channel', 'recipient', 'flow', 'trigger_ref', 'automated',
    'event_type', 'occurred_at'] -%}
{%- set timestamps = ['occurred_at'] -%}

with

source as (
    select * from {{ source('raw_messaging', 'events') }}
),

parsed as (
    select
        {{ clean_text('event_id') }} as message_event_id,
        {{ clean_text('message_id') }} as message_id,
        {{ normalize_enum('channel', ['sms', 'email'], {'text': 'sms', 'e_mail': 'email'}) }} as channel,
        {{ pii_hash(normalize_email('recipient')) }} as recipient_email_hash,
        case
            when {{ clean_text('recipient') }} not like '%@%'
                then {{ pii_hash(normalize_phone('recipient')) }}
        end as recipient_phone_hash,
        {{ normalize_enum('flow', [
            'payment_failed_recovery', 'card_update_request', 'renewal_reminder', 'post_payment_upsell',
            'winback', 'newsletter', 'promo']) }} as flow,
        {{ clean_text('trigger_ref') }} as trigger_ref,
        coalesce({{ parse_boolean('automated') }}, false) as is_automated,
        {{ normalize_enum('event_type',
            ['sent', 'delivered', 'clicked', 'converted', 'opted_out', 'failed'],
            {'opt_out': 'opted_out', 'optout': 'opted_out',
             'unsubscribed': 'opted_out', 'send': 'sent', 'deliver': 'delivered', 'click': 'clicked',
             'convert': 'converted', 'conversion': 'converted', 'fail': 'failed'}) }} as event_type,
        {{ parse_timestamp('occurred_at') }} as occurred_at,
        {{ clean_text('event_id') }} as record_key,
        coalesce(
            {{ missing_required_reason('event_id', timestamps) }},
            {{ quarantine_reason('event_id', timestamps) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('event_id', timestamps, output='column') }},
            {{ quarantine_reason('event_id', timestamps, output='column') }}
        ) as parse_issue_column,
        {{ row_hash(raw_columns) }} as row_hash
    from source
),

final as (
    select
        parsed.*,
        parsed.parse_issue as quarantine_reason,
        parsed.parse_issue_column as quarantine_column,
        -- D0: messaging events have no status finality rule; duplicates keep the greatest row hash.
        0 as dedupe_priority
    from parsed
)

select * from final
