{#- Every raw support ticket row, parsed, with its quarantine reason (rule D0). The requester's
    email leaves only as a hash and the free-text subject (possible PII) not at all. Staging
    and the quarantine model both read this; nothing else does. -#}
{%- set raw_columns = [
    'id', 'requester_email', 'subject', 'tags', 'priority', 'status', 'satisfaction',
    'created_at', 'updated_at', 'solved_at'] -%}
{%- set timestamps = ['created_at', 'updated_at', 'solved_at'] -%}
{#- Required (contract without `?`) and needed to place the ticket in time. -#}
{%- set required_timestamps = ['created_at'] -%}

with

source as (
    select * from {{ source('raw_support', 'tickets') }}
),

parsed as (
    select
        {{ clean_text('id') }} as ticket_id,
        {{ pii_hash(normalize_email('requester_email')) }} as requester_email_hash,
        lower({{ clean_text('priority') }}) as priority,
        {{ normalize_enum('status', ['new', 'open', 'pending', 'solved', 'closed'],
            {'resolved': 'solved'}) }} as ticket_status,
        {{ normalize_enum('satisfaction', ['good', 'bad', 'offered', 'unoffered'],
            {'good_with_comment': 'good', 'bad_with_comment': 'bad', 'not_offered': 'unoffered'}) }}
            as satisfaction,
        {{ normalize_tag_list('tags') }} as tags,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ parse_timestamp('solved_at') }} as solved_at,
        {{ clean_text('id') }} as record_key,
        coalesce(
            {{ missing_required_reason('id', required_timestamps) }},
            {{ quarantine_reason('id', timestamps) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('id', required_timestamps, output='column') }},
            {{ quarantine_reason('id', timestamps, output='column') }}
        ) as parse_issue_column,
        {{ row_hash(raw_columns) }} as row_hash
    from source
),

with_tag_flags as (
    -- A tag matches as a whole comma-separated token ('billing' does not match 'billing_address').
    select
        parsed.*,
        coalesce(',' || parsed.tags || ',' like '%,billing,%', false) as has_billing_tag,
        coalesce(',' || parsed.tags || ',' like '%,cancel_request,%', false) as has_cancel_request_tag,
        coalesce(',' || parsed.tags || ',' like '%,payment_issue,%', false) as has_payment_issue_tag,
        case
            when parsed.tags is null then 0
            else length(parsed.tags) - length(replace(parsed.tags, ',', '')) + 1
        end as tag_count
    from parsed
),

final as (
    select
        with_tag_flags.*,
        with_tag_flags.parse_issue as quarantine_reason,
        with_tag_flags.parse_issue_column as quarantine_column,
        -- D0: tickets have `updated_at` and no status finality rule.
        0 as dedupe_priority
    from with_tag_flags
)

select * from final
