{#-
    Rule D2: each account's status as change intervals, by precedence over its subscriptions:
    past_due > active > paused > trialing > cancelled > never_paid. A cancelled subscription
    that never had an approved payment (on any of its invoices, by that instant) counts as
    never_paid, and so does an account with no subscription yet. Billing's own status (the
    highest-precedence snapshot status of its subscriptions) sits beside the current interval,
    flagged where the two disagree at as_of.
-#}
with

status_intervals as (
    select * from {{ ref('int_subscription_status_intervals') }}
),

customers as (
    select * from {{ ref('stg_billing__customers') }}
),

subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

attempts as (
    select * from {{ ref('int_payment_attempts_unified') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

first_payments as (
    select
        invoices.subscription_id,
        min(attempts.attempted_at) as first_paid_at
    from attempts
    inner join invoices
        on attempts.invoice_id = invoices.invoice_id
    where attempts.is_approved and invoices.subscription_id is not null
    group by 1
),

customer_starts as (
    select
        customers.customer_id as account_id,
        customers.created_at
    from customers
    cross join as_of
    where {{ within_as_of('customers.created_at') }}
),

change_points as (
    select
        account_id,
        created_at as changed_at
    from customer_starts

    union all

    select
        account_id,
        valid_from_at as changed_at
    from status_intervals

    union all

    select
        account_id,
        valid_to_at as changed_at
    from status_intervals
    where valid_to_at is not null

    union all

    select
        status_intervals.account_id,
        first_payments.first_paid_at as changed_at
    from first_payments
    inner join status_intervals
        on first_payments.subscription_id = status_intervals.subscription_id
),

instants as (
    select distinct
        account_id,
        changed_at
    from change_points
),

subscription_statuses as (
    -- each subscription's status at each instant; a never-paid cancellation is never_paid
    select
        instants.account_id,
        instants.changed_at,
        case
            when
                status_intervals.status = 'cancelled'
                and (first_payments.first_paid_at is null or first_payments.first_paid_at > instants.changed_at)
                then 'never_paid'
            else status_intervals.status
        end as status
    from instants
    inner join status_intervals
        on
            instants.account_id = status_intervals.account_id
            and instants.changed_at >= status_intervals.valid_from_at
            and (status_intervals.valid_to_at is null or instants.changed_at < status_intervals.valid_to_at)
    left join first_payments
        on status_intervals.subscription_id = first_payments.subscription_id
),

ranked_statuses as (
    select
        account_id,
        changed_at,
        max(
            case status
                when 'past_due' then 6
                when 'active' then 5
                when 'paused' then 4
                when 'trialing' then 3
                when 'cancelled' then 2
                else 1
            end
        ) as status_rank
    from subscription_statuses
    group by 1, 2
),

instant_status as (
    select
        instants.account_id,
        instants.changed_at,
        case coalesce(ranked_statuses.status_rank, 1)
            when 6 then 'past_due'
            when 5 then 'active'
            when 4 then 'paused'
            when 3 then 'trialing'
            when 2 then 'cancelled'
            else 'never_paid'
        end as status
    from instants
    left join ranked_statuses
        on
            instants.account_id = ranked_statuses.account_id
            and instants.changed_at = ranked_statuses.changed_at
),

with_previous as (
    select
        *,
        lag(status) over (partition by account_id order by changed_at) as previous_status
    from instant_status
),

status_changes as (
    select
        account_id,
        status,
        changed_at as valid_from_at,
        lead(changed_at) over (partition by account_id order by changed_at) as valid_to_at
    from with_previous
    where previous_status is null or status <> previous_status
),

billing_statuses as (
    -- billing's snapshot, by the same precedence (unpaid counts as past_due, unknown lowest)
    select
        account_id,
        billing_status,
        billing_status_mapped
    from (
        select
            subscriptions.customer_id as account_id,
            subscriptions.billing_status,
            case subscriptions.billing_status
                when 'canceled' then 'cancelled'
                when 'unpaid' then 'past_due'
                else subscriptions.billing_status
            end as billing_status_mapped,
            row_number() over (
                partition by subscriptions.customer_id
                order by
                    case subscriptions.billing_status
                        when 'past_due' then 6
                        when 'unpaid' then 6
                        when 'active' then 5
                        when 'paused' then 4
                        when 'trialing' then 3
                        when 'canceled' then 2
                        else 0
                    end desc,
                    subscriptions.billing_status
            ) as billing_rank
        from subscriptions
        inner join (select distinct subscription_id from status_intervals) as started
            on subscriptions.subscription_id = started.subscription_id
    ) as ranked
    where billing_rank = 1
),

final as (
    select
        status_changes.account_id,
        status_changes.status,
        status_changes.valid_from_at,
        status_changes.valid_to_at,
        status_changes.valid_to_at is null as is_current,
        case when status_changes.valid_to_at is null then billing_statuses.billing_status end as billing_status,
        case
            when status_changes.valid_to_at is null then billing_statuses.billing_status_mapped
        end as billing_status_mapped,
        coalesce(
            status_changes.valid_to_at is null
            and billing_statuses.billing_status_mapped <> 'unknown'
            and billing_statuses.billing_status_mapped
            <> case when status_changes.status = 'never_paid' then 'cancelled' else status_changes.status end,
            false
        ) as is_status_disagreement
    from status_changes
    left join billing_statuses
        on status_changes.account_id = billing_statuses.account_id
)

select * from final
