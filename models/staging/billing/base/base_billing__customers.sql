{#- Every raw customer row, parsed, with its quarantine reason (rule D0). Staging and the
    quarantine model both read this; nothing else does. A customer carries a currency but no
    amount, so there is no FX join and no `no_fx_rate` check: an account is never dropped
    for its currency. Raw emails never leave this model: only their hash does (rule D1). -#}
{%- set raw_columns = ['id', 'email', 'crm_contact_id', 'currency', 'created_at', 'deleted'] -%}
{%- set timestamps = ['created_at'] -%}

with

source as (
    select * from {{ source('raw_billing', 'customers') }}
),

parsed as (
    select
        {{ clean_text('id') }} as customer_id,
        {{ pii_hash(normalize_email('email')) }} as email_hash,
        {{ clean_text('crm_contact_id') }} as crm_contact_id,
        upper({{ clean_text('currency') }}) as currency,
        {{ parse_timestamp('created_at') }} as created_at,
        coalesce({{ parse_boolean('deleted') }}, false) as is_deleted,
        {{ clean_text('id') }} as record_key,
        coalesce(
            {{ missing_required_reason('id', timestamps) }},
            {{ quarantine_reason('id', timestamps) }}
        ) as parse_issue,
        coalesce(
            {{ missing_required_reason('id', timestamps, output='column') }},
            {{ quarantine_reason('id', timestamps, output='column') }}
        ) as parse_issue_column,
        {{ row_hash(raw_columns) }} as row_hash
    from source
),

final as (
    select
        parsed.*,
        parsed.parse_issue as quarantine_reason,
        parsed.parse_issue_column as quarantine_column,
        -- D0: customers have no status finality rule; duplicates fall to the row hash.
        0 as dedupe_priority
    from parsed
)

select * from final
