{#-
    Rule D4: one row per rebill with exactly one outcome, the recovery method and whether an
    automated recovery message reached the account before the win.
-#}
{%- set window_hours = var('recovery_window_days') * 24 -%}

with

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

attempts as (
    select * from {{ ref('int_payment_attempts_unified') }}
),

payment_method_updates as (
    select * from {{ ref('stg_processor_a__payment_method_updates') }}
),

messages as (
    select * from {{ ref('int_messages_attributed') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

rebills as (
    select invoices.*
    from invoices
    cross join as_of
    where invoices.is_rebill and {{ within_as_of('invoices.created_at') }}
),

rebill_attempts as (
    select attempts.*
    from attempts
    inner join rebills
        on attempts.invoice_id = rebills.invoice_id
),

first_attempts as (
    select
        invoice_id,
        attempted_at as first_attempt_at,
        gateway as first_attempt_gateway,
        is_approved as is_first_attempt_approved
    from rebill_attempts
    where attempt_number = 1
),

first_approvals as (
    select
        invoice_id,
        attempted_at as first_approved_at,
        gateway as approved_gateway
    from (
        select
            invoice_id,
            attempted_at,
            gateway,
            row_number() over (partition by invoice_id order by attempt_number) as approval_rank
        from rebill_attempts
        where is_approved
    ) as approvals
    where approval_rank = 1
),

attempt_summary as (
    select
        invoice_id,
        count(*) as attempt_count,
        max(case when gateway = 'processor_a' then 1 else 0 end) as tried_processor_a,
        max(case when gateway = 'processor_b' then 1 else 0 end) as tried_processor_b
    from rebill_attempts
    group by invoice_id
),

joined as (
    select
        rebills.invoice_id,
        rebills.subscription_id,
        rebills.customer_id as account_id,
        rebills.created_month as billed_month,
        rebills.created_at,
        rebills.total_usd as amount_usd,
        coalesce(attempt_summary.attempt_count, 0) as attempt_count,
        attempt_summary.tried_processor_a,
        attempt_summary.tried_processor_b,
        first_attempts.first_attempt_at,
        first_attempts.first_attempt_gateway,
        first_attempts.is_first_attempt_approved,
        first_approvals.first_approved_at,
        first_approvals.approved_gateway,
        {{ dbt.dateadd('hour', window_hours, 'first_attempts.first_attempt_at') }} as window_closes_at,
        as_of.as_of_at,
        as_of.is_as_of_exclusive
    from rebills
    cross join as_of
    left join attempt_summary
        on rebills.invoice_id = attempt_summary.invoice_id
    left join first_attempts
        on rebills.invoice_id = first_attempts.invoice_id
    left join first_approvals
        on rebills.invoice_id = first_approvals.invoice_id
),

outcomes as (
    select
        joined.*,
        -- recovery messages count up to the win, else up to the window close or as_of
        coalesce(
            joined.first_approved_at,
            case when joined.window_closes_at < joined.as_of_at then joined.window_closes_at end,
            joined.as_of_at
        ) as message_window_ends_at,
        case
            when joined.first_attempt_at is null then 'no_attempt'
            when joined.is_first_attempt_approved then 'clean'
            when joined.first_approved_at <= joined.window_closes_at then 'recovered'
            when joined.first_approved_at is not null then 'late_recovery'
            when joined.window_closes_at <= joined.as_of_at then 'failed'
            else 'pending'
        end as outcome
    from joined
),

card_updates as (
    select
        outcomes.invoice_id,
        max(case when payment_method_updates.update_source = 'card_updater' then 1 else 0 end)
            as has_card_updater,
        max(case when payment_method_updates.update_source in ('customer_portal', 'support') then 1 else 0 end)
            as has_customer_update
    from outcomes
    inner join payment_method_updates
        on
            outcomes.account_id = payment_method_updates.customer_id
            and outcomes.first_attempt_at <= payment_method_updates.created_at
            and outcomes.first_approved_at >= payment_method_updates.created_at
    where outcomes.outcome = 'recovered'
    group by outcomes.invoice_id
),

recovery_messages as (
    select
        outcomes.invoice_id,
        messages.flow,
        row_number() over (
            partition by outcomes.invoice_id
            order by messages.occurred_at, messages.message_event_id
        ) as message_rank
    from outcomes
    inner join messages
        on
            outcomes.account_id = messages.account_id
            and messages.is_automated
            and messages.event_type = 'sent'
            and messages.flow in ('payment_failed_recovery', 'card_update_request')
            and outcomes.first_attempt_at <= messages.occurred_at
            and outcomes.message_window_ends_at >= messages.occurred_at
    where outcomes.outcome in ('recovered', 'late_recovery', 'failed', 'pending')
),

final as (
    select
        outcomes.invoice_id,
        outcomes.subscription_id,
        outcomes.account_id,
        outcomes.billed_month,
        outcomes.created_at,
        outcomes.amount_usd,
        outcomes.attempt_count,
        outcomes.first_attempt_at,
        outcomes.first_attempt_gateway,
        outcomes.is_first_attempt_approved,
        outcomes.first_approved_at,
        outcomes.approved_gateway,
        outcomes.window_closes_at,
        outcomes.outcome,
        case
            when outcomes.outcome <> 'recovered' then null
            when outcomes.approved_gateway <> outcomes.first_attempt_gateway then 'rerouted_gateway'
            when card_updates.has_card_updater = 1 then 'card_updater'
            when card_updates.has_customer_update = 1 then 'customer_updated_card'
            else 'retry_same_gateway'
        end as recovery_method,
        case
            when outcomes.first_approved_at is not null and not outcomes.is_first_attempt_approved
                then cast(
                    {{ account_kpis.exact_divide(
                        dbt.datediff('outcomes.first_attempt_at', 'outcomes.first_approved_at', 'second'), 3600, 2
                    ) }} as decimal(18, 2)
                )
        end as hours_to_recover,
        case
            when outcomes.tried_processor_a = 1 and outcomes.tried_processor_b = 1 then 'processor_a,processor_b'
            when outcomes.tried_processor_a = 1 then 'processor_a'
            when outcomes.tried_processor_b = 1 then 'processor_b'
        end as gateways_tried,
        recovery_messages.flow is not null as has_recovery_message,
        recovery_messages.flow as recovery_message_flow
    from outcomes
    left join card_updates
        on outcomes.invoice_id = card_updates.invoice_id
    left join recovery_messages
        on
            outcomes.invoice_id = recovery_messages.invoice_id
            and recovery_messages.message_rank = 1
)

select * from final
