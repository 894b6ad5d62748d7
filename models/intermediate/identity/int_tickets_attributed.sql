{#-
    Rule D1 (account) for support tickets: the requester's email hash through the email keys
    of `int_identity_keys` (a customer's email first, then the email of an attached CRM
    contact), else unmatched. Every staged ticket is kept; an orphan is flagged `is_unmatched`
    and counted in the identity audit.
-#}
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

email_keys as (
    select * from {{ ref('int_identity_keys') }}
    where key_type = 'email'
),

final as (
    select
        tickets.ticket_id,
        tickets.requester_email_hash,
        tickets.priority,
        tickets.ticket_status,
        tickets.satisfaction,
        tickets.tags,
        tickets.has_billing_tag,
        tickets.has_cancel_request_tag,
        tickets.has_payment_issue_tag,
        tickets.tag_count,
        tickets.created_at,
        tickets.updated_at,
        tickets.solved_at,
        email_keys.account_id,
        coalesce(email_keys.key_source, 'unmatched') as match_rule,
        email_keys.account_id is null as is_unmatched
    from tickets
    left join email_keys
        on tickets.requester_email_hash = email_keys.key_hash
)

select * from final
