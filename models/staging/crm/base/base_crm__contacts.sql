{#- Every raw CRM contact row, parsed, with its quarantine reason (rule D0). Names, emails and
    phones never leave this model as text: only their hashes and `has_name`. Staging and the
    quarantine model both read this; nothing else does. -#}
{%- set raw_columns = [
    'contact_id', 'email', 'phone', 'first_name', 'last_name', 'billing_customer_id',
    'lifecycle_stage', 'acquisition_channel', 'country', 'created_at', 'updated_at', 'is_deleted'] -%}
{%- set timestamps = ['created_at', 'updated_at'] -%}

with

source as (
    select * from {{ source('raw_crm', 'contacts') }}
),

parsed as (
    select
        {{ clean_text('contact_id') }} as contact_id,
        {{ pii_hash(normalize_email('email')) }} as email_hash,
        {{ pii_hash(normalize_phone('phone')) }} as phone_hash,
        coalesce({{ clean_text('first_name') }}, {{ clean_text('last_name') }}) is not null as has_name,
        {{ clean_text('billing_customer_id') }} as billing_customer_id,
        lower({{ clean_text('lifecycle_stage') }}) as lifecycle_stage,
        lower({{ clean_text('acquisition_channel') }}) as acquisition_channel,
        upper({{ clean_text('country') }}) as country,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_timestamp('updated_at') }} as updated_at,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        {{ clean_text('contact_id') }} as record_key,
        {{ quarantine_reason('contact_id', timestamps) }} as parse_issue,
        {{ quarantine_reason('contact_id', timestamps, output='column') }} as parse_issue_column,
        {{ row_hash(raw_columns) }} as row_hash
    from source
),

final as (
    select
        parsed.*,
        parsed.parse_issue as quarantine_reason,
        parsed.parse_issue_column as quarantine_column,
        -- D0: contacts have `updated_at` and no status finality rule.
        0 as dedupe_priority
    from parsed
)

select * from final
