{#-
    Rule D10, automation coverage: one row per recovery or expansion touch. Automated touches
    are the sent messages of the recovery flows (payment_failed_recovery, card_update_request)
    and the expansion flow (post_payment_upsell) sent by an automated flow
    (`int_messages_sent.touch_purpose`); touches handled by people are support tickets tagged
    `payment_issue` or `billing` (recovery), created on or before as_of. Winback and renewal
    reminders are retention messages, not recovery or expansion, and do not count. A touch is
    counted in the month it was sent / opened, whether or not it attaches to an account.
-#}
with

messages as (
    select * from {{ ref('int_messages_sent') }}
),

tickets as (
    select * from {{ ref('int_tickets_attributed') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

automated_touches as (
    select
        {{ dbt.concat(["'message:'", 'messages.message_id']) }} as touch_id,
        'automated_message' as touch_channel,
        messages.touch_purpose,
        messages.flow as touch_source,
        messages.account_id,
        messages.sent_at as touched_at,
        true as is_automated
    from messages
    where messages.is_automated and messages.touch_purpose is not null
),

ticket_touches as (
    select
        {{ dbt.concat(["'ticket:'", 'tickets.ticket_id']) }} as touch_id,
        'support_ticket' as touch_channel,
        'recovery' as touch_purpose,
        case
            when tickets.has_payment_issue_tag and tickets.has_billing_tag then 'payment_issue,billing'
            when tickets.has_payment_issue_tag then 'payment_issue'
            else 'billing'
        end as touch_source,
        tickets.account_id,
        tickets.created_at as touched_at,
        false as is_automated
    from tickets
    cross join as_of
    where
        (tickets.has_payment_issue_tag or tickets.has_billing_tag)
        and {{ within_as_of('tickets.created_at') }}
),

unioned as (
    select * from automated_touches
    union all
    select * from ticket_touches
),

final as (
    select
        touch_id,
        touch_channel,
        touch_purpose,
        touch_source,
        account_id,
        touched_at,
        cast({{ dbt.date_trunc('month', 'touched_at') }} as date) as touch_month,
        is_automated
    from unioned
)

select * from final
