{#-
    Rule D8, the raw signals behind the health components, per scored account and evaluation
    point (int_health_evaluation_points: every reported month end and as_of). Written once for
    both kinds of point: every record is taken "within" the point (ts before the instant, or at
    it when the point is inclusive) and inside its window [window start, instant].
    Scored accounts: every account (int_accounts_resolved) with a subscription that started within the
    point (it has had a subscription), whatever its status now; `account_status` says where it
    stands.
    `within_point` is the one "within the point" test; every CTE that uses it names the relation
    carrying the point's `evaluated_at` and `is_evaluated_at_exclusive` `account_points`.
-#}

{%- set within_point = "(__ts__ < account_points.evaluated_at or (__ts__ = account_points.evaluated_at and not account_points.is_evaluated_at_exclusive))" -%}

with

accounts as (
    select * from {{ ref('int_accounts_resolved') }}
),

points as (
    select * from {{ ref('int_health_evaluation_points') }}
),

subscription_intervals as (
    select * from {{ ref('int_subscription_status_intervals') }}
),

account_status_intervals as (
    select * from {{ ref('int_account_status_intervals') }}
),

plan_intervals as (
    select * from {{ ref('int_subscription_plan_intervals') }}
),

subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

plans as (
    select * from {{ ref('stg_billing__plans') }}
),

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

renewals as (
    select * from {{ ref('int_renewals_classified') }}
),

attempts as (
    select * from {{ ref('int_payment_attempts_unified') }}
),

method_updates as (
    select * from {{ ref('stg_processor_a__payment_method_updates') }}
),

tickets as (
    select * from {{ ref('int_tickets_attributed') }}
),

orders as (
    select * from {{ ref('int_orders_attributed') }}
),

messages as (
    select * from {{ ref('int_messages_attributed') }}
),

-- scope: accounts that have had a subscription by the point

subscription_starts as (
    -- known accounts only: a subscription of an unknown customer (an orphan) is no account
    select
        subscription_intervals.account_id,
        min(subscription_intervals.valid_from_at) as first_subscription_at
    from subscription_intervals
    inner join accounts
        on subscription_intervals.account_id = accounts.account_id
    group by 1
),

account_points as (
    select
        subscription_starts.account_id,
        account_points.point_key,
        account_points.point_type,
        account_points.month_start,
        account_points.evaluated_at,
        account_points.is_evaluated_at_exclusive,
        account_points.payment_window_start_at,
        account_points.failed_method_window_start_at,
        account_points.support_window_start_at,
        account_points.orders_window_start_at,
        account_points.engagement_window_start_at
    from subscription_starts
    cross join points as account_points
    where {{ within_point | replace('__ts__', 'subscription_starts.first_subscription_at') }}
),

account_statuses as (
    -- D2 account status at the point (the interval holding the instant)
    select
        account_points.account_id,
        account_points.point_key,
        account_status_intervals.status as account_status
    from account_points
    inner join account_status_intervals
        on
            account_points.account_id = account_status_intervals.account_id
            and {{ within_point | replace('__ts__', 'account_status_intervals.valid_from_at') }}
            and (
                account_status_intervals.valid_to_at is null
                or not {{ within_point | replace('__ts__', 'account_status_intervals.valid_to_at') }}
            )
),

-- payment: first attempts in the window, renewals past due at the point

first_attempts as (
    select
        account_points.account_id,
        account_points.point_key,
        count(*) as payment_first_attempts,
        sum(case when attempts.is_approved then 1 else 0 end) as payment_first_attempts_approved
    from account_points
    inner join attempts
        on
            account_points.account_id = attempts.account_id
            and attempts.attempt_number = 1
            and account_points.payment_window_start_at <= attempts.attempted_at
            and {{ within_point | replace('__ts__', 'attempts.attempted_at') }}
    group by 1, 2
),

pending_rebills as (
    -- D4 at the point: first attempt failed, no approval yet, recovery window still open
    select
        account_points.account_id,
        account_points.point_key,
        renewals.subscription_id,
        renewals.invoice_id,
        renewals.first_attempt_at
    from account_points
    inner join renewals
        on
            account_points.account_id = renewals.account_id
            and renewals.first_attempt_at is not null
            and not renewals.is_first_attempt_approved
            and {{ within_point | replace('__ts__', 'renewals.first_attempt_at') }}
            and (
                renewals.first_approved_at is null
                or not {{ within_point | replace('__ts__', 'renewals.first_approved_at') }}
            )
            and not {{ within_point | replace('__ts__', 'renewals.window_closes_at') }}
),

account_pending_rebills as (
    select
        account_id,
        point_key,
        count(*) as pending_rebills,
        min(first_attempt_at) as past_due_since_at
    from pending_rebills
    group by 1, 2
),

-- renewal: a payment method that failed lately, and days to the next renewal

recent_attempts as (
    select
        account_points.account_id,
        account_points.point_key,
        account_points.evaluated_at,
        account_points.is_evaluated_at_exclusive,
        attempts.attempted_at,
        attempts.is_approved,
        attempts.gateway,
        attempts.decline_code,
        attempts.decline_class,
        row_number() over (
            partition by account_points.account_id, account_points.point_key
            order by
                attempts.attempted_at desc,
                case when attempts.gateway = 'processor_b' then 0 else 1 end,
                attempts.attempt_id desc
        ) as recency_rank
    from account_points
    inner join attempts
        on
            account_points.account_id = attempts.account_id
            and account_points.failed_method_window_start_at <= attempts.attempted_at
            and {{ within_point | replace('__ts__', 'attempts.attempted_at') }}
),

latest_failed_attempts as (
    -- the latest attempt in the lookback, when it failed
    select
        account_id,
        point_key,
        evaluated_at,
        is_evaluated_at_exclusive,
        attempted_at,
        gateway,
        decline_code,
        decline_class
    from recent_attempts
    where recency_rank = 1 and not is_approved
),

updates_after_failure as (
    select
        account_points.account_id,
        account_points.point_key,
        count(*) as method_updates
    from latest_failed_attempts as account_points
    inner join method_updates
        on
            account_points.account_id = method_updates.customer_id
            and account_points.attempted_at < method_updates.created_at
            and {{ within_point | replace('__ts__', 'method_updates.created_at') }}
    group by 1, 2
),

failing_methods as (
    select
        latest_failed_attempts.account_id,
        latest_failed_attempts.point_key,
        latest_failed_attempts.attempted_at as latest_decline_at,
        latest_failed_attempts.gateway as latest_decline_gateway,
        latest_failed_attempts.decline_code as latest_decline_code,
        latest_failed_attempts.decline_class as latest_decline_class
    from latest_failed_attempts
    left join updates_after_failure
        on
            latest_failed_attempts.account_id = updates_after_failure.account_id
            and latest_failed_attempts.point_key = updates_after_failure.point_key
    where updates_after_failure.method_updates is null
),

renewing_subscriptions as (
    -- subscriptions that will bill again: active, past_due or trialing at the point
    select
        account_points.account_id,
        account_points.point_key,
        account_points.evaluated_at,
        account_points.is_evaluated_at_exclusive,
        subscription_intervals.subscription_id,
        subscription_intervals.status
    from account_points
    inner join subscription_intervals
        on
            account_points.account_id = subscription_intervals.account_id
            and {{ within_point | replace('__ts__', 'subscription_intervals.valid_from_at') }}
            and (
                subscription_intervals.valid_to_at is null
                or not {{ within_point | replace('__ts__', 'subscription_intervals.valid_to_at') }}
            )
    where subscription_intervals.status in ('active', 'past_due', 'trialing')
),

subscription_plans as (
    -- D3 plan at the point (the snapshot's plan when no interval holds it)
    select
        account_points.subscription_id,
        account_points.point_key,
        max(plan_intervals.plan_id) as plan_id
    from renewing_subscriptions as account_points
    inner join plan_intervals
        on
            account_points.subscription_id = plan_intervals.subscription_id
            and {{ within_point | replace('__ts__', 'plan_intervals.valid_from_at') }}
            and (
                plan_intervals.valid_to_at is null
                or not {{ within_point | replace('__ts__', 'plan_intervals.valid_to_at') }}
            )
    group by 1, 2
),

last_billing_invoices as (
    -- the latest first or cycle invoice of the subscription: the anchor of its next renewal
    select
        account_points.subscription_id,
        account_points.point_key,
        max(invoices.created_at) as last_billed_at
    from renewing_subscriptions as account_points
    inner join invoices
        on
            account_points.subscription_id = invoices.subscription_id
            and invoices.billing_reason in ('subscription_create', 'subscription_cycle')
            and invoices.status not in ('void', 'draft')
            and {{ within_point | replace('__ts__', 'invoices.created_at') }}
    group by 1, 2
),

subscription_renewals as (
    select
        account_points.account_id,
        account_points.point_key,
        account_points.subscription_id,
        case
            -- a rebill past due at the point: its renewal is due now
            when pending_rebills.subscription_id is not null then account_points.evaluated_at
            when
                account_points.status = 'trialing'
                and subscriptions.trial_end_at is not null
                and not {{ within_point | replace('__ts__', 'subscriptions.trial_end_at') }}
                then subscriptions.trial_end_at
            -- billing's own current period, when it holds the point
            when
                subscriptions.current_period_start_at is not null
                and subscriptions.current_period_end_at is not null
                and {{ within_point | replace('__ts__', 'subscriptions.current_period_start_at') }}
                and not {{ within_point | replace('__ts__', 'subscriptions.current_period_end_at') }}
                then subscriptions.current_period_end_at
            -- else the last first/cycle invoice + one plan interval
            when plans.billing_interval = 'day'
                then {{ dbt.dateadd('day', 'plans.interval_count', 'last_billing_invoices.last_billed_at') }}
            when plans.billing_interval = 'week'
                then {{ dbt.dateadd('day', '7 * plans.interval_count', 'last_billing_invoices.last_billed_at') }}
            when plans.billing_interval = 'month'
                then {{ dbt.dateadd('month', 'plans.interval_count', 'last_billing_invoices.last_billed_at') }}
            when plans.billing_interval = 'year'
                then {{ dbt.dateadd('year', 'plans.interval_count', 'last_billing_invoices.last_billed_at') }}
        end as next_renewal_at
    from renewing_subscriptions as account_points
    left join pending_rebills
        on
            account_points.subscription_id = pending_rebills.subscription_id
            and account_points.point_key = pending_rebills.point_key
    left join subscriptions
        on account_points.subscription_id = subscriptions.subscription_id
    left join subscription_plans
        on
            account_points.subscription_id = subscription_plans.subscription_id
            and account_points.point_key = subscription_plans.point_key
    left join plans
        on coalesce(subscription_plans.plan_id, subscriptions.plan_id) = plans.plan_id
    left join last_billing_invoices
        on
            account_points.subscription_id = last_billing_invoices.subscription_id
            and account_points.point_key = last_billing_invoices.point_key
),

next_renewals as (
    select
        subscription_renewals.account_id,
        subscription_renewals.point_key,
        min(subscription_renewals.next_renewal_at) as next_renewal_at
    from subscription_renewals
    group by 1, 2
),

-- support: tickets created in the window

support_tickets as (
    select
        account_points.account_id,
        account_points.point_key,
        count(*) as support_tickets,
        sum(
            case
                when tickets.has_cancel_request_tag or tickets.has_billing_tag or tickets.has_payment_issue_tag
                    then {{ var('health_support_tag_weight') }}
                else 1
            end
        ) as support_weighted_tickets,
        max(case when tickets.has_cancel_request_tag then 1 else 0 end) as has_cancel_request,
        max(case when tickets.satisfaction = 'bad' then 1 else 0 end) as has_bad_satisfaction
    from account_points
    inner join tickets
        on
            account_points.account_id = tickets.account_id
            and account_points.support_window_start_at <= tickets.created_at
            and {{ within_point | replace('__ts__', 'tickets.created_at') }}
    group by 1, 2
),

-- orders: the window against the account's own rhythm before it

counted_orders as (
    select
        account_id,
        created_at,
        cancelled_at
    from orders
    where account_id is not null and coalesce(financial_status, 'unknown') <> 'voided'
),

order_counts as (
    select
        account_points.account_id,
        account_points.point_key,
        account_points.orders_window_start_at,
        sum(case when counted_orders.created_at >= account_points.orders_window_start_at then 1 else 0 end)
            as recent_orders,
        sum(case when counted_orders.created_at < account_points.orders_window_start_at then 1 else 0 end)
            as prior_orders,
        min(counted_orders.created_at) as first_order_at
    from account_points
    inner join counted_orders
        on
            account_points.account_id = counted_orders.account_id
            and {{ within_point | replace('__ts__', 'counted_orders.created_at') }}
            and (
                counted_orders.cancelled_at is null
                or not {{ within_point | replace('__ts__', 'counted_orders.cancelled_at') }}
            )
    group by 1, 2, 3
),

order_rhythms as (
    select
        account_id,
        point_key,
        recent_orders,
        prior_orders,
        case
            when prior_orders >= {{ var('health_orders_min_history_orders') }}
                then
                    {{ dbt.datediff('first_order_at', 'orders_window_start_at', 'second') }}
                    / 86400.0 / prior_orders
        end as usual_order_interval_days
    from order_counts
),

-- engagement: lifecycle (automated) messages sent in the window

lifecycle_messages as (
    select
        account_id,
        message_id,
        coalesce(
            min(case when event_type = 'sent' then occurred_at end),
            min(occurred_at)
        ) as sent_at,
        min(case when event_type = 'clicked' then occurred_at end) as clicked_at,
        min(case when event_type = 'converted' then occurred_at end) as converted_at,
        min(case when event_type = 'failed' then occurred_at end) as failed_at
    from messages
    where is_automated and account_id is not null
    group by 1, 2
),

message_counts as (
    select
        account_points.account_id,
        account_points.point_key,
        count(*) as lifecycle_messages,
        sum(
            case
                when
                    lifecycle_messages.clicked_at is not null
                    and {{ within_point | replace('__ts__', 'lifecycle_messages.clicked_at') }}
                    then 1
                else 0
            end
        ) as lifecycle_messages_clicked,
        sum(
            case
                when
                    lifecycle_messages.converted_at is not null
                    and {{ within_point | replace('__ts__', 'lifecycle_messages.converted_at') }}
                    then 1
                else 0
            end
        ) as lifecycle_messages_converted
    from account_points
    inner join lifecycle_messages
        on
            account_points.account_id = lifecycle_messages.account_id
            and account_points.engagement_window_start_at <= lifecycle_messages.sent_at
            and {{ within_point | replace('__ts__', 'lifecycle_messages.sent_at') }}
            and (
                lifecycle_messages.failed_at is null
                or not {{ within_point | replace('__ts__', 'lifecycle_messages.failed_at') }}
            )
    group by 1, 2
),

opt_outs as (
    select
        account_id,
        min(occurred_at) as first_opted_out_at
    from messages
    where event_type = 'opted_out' and account_id is not null
    group by 1
),

final as (
    select
        account_points.account_id,
        account_points.point_key,
        account_points.point_type,
        account_points.month_start,
        account_points.evaluated_at,
        coalesce(account_statuses.account_status, 'never_paid') as account_status,
        -- payment
        coalesce(account_statuses.account_status = 'past_due', false)
        or account_pending_rebills.pending_rebills is not null as has_renewal_past_due,
        coalesce(account_pending_rebills.pending_rebills, 0) as pending_rebills,
        account_pending_rebills.past_due_since_at,
        coalesce(first_attempts.payment_first_attempts, 0) as payment_first_attempts,
        coalesce(first_attempts.payment_first_attempts_approved, 0) as payment_first_attempts_approved,
        -- renewal
        failing_methods.account_id is not null as has_failing_payment_method,
        failing_methods.latest_decline_at,
        failing_methods.latest_decline_gateway,
        failing_methods.latest_decline_code,
        failing_methods.latest_decline_class,
        next_renewals.next_renewal_at,
        case
            when next_renewals.next_renewal_at is not null
                then
                    greatest(
                        {{ dbt.datediff('account_points.evaluated_at', 'next_renewals.next_renewal_at', 'second') }}
                        / 86400.0,
                        0
                    )
        end as days_to_next_renewal,
        -- support
        coalesce(support_tickets.support_tickets, 0) as support_tickets,
        coalesce(support_tickets.support_weighted_tickets, 0) as support_weighted_tickets,
        coalesce(support_tickets.has_bad_satisfaction = 1, false) as has_bad_satisfaction,
        coalesce(support_tickets.has_cancel_request = 1, false) as has_cancel_request,
        -- orders
        coalesce(order_rhythms.recent_orders, 0) as recent_orders,
        coalesce(order_rhythms.prior_orders, 0) as prior_orders,
        order_rhythms.usual_order_interval_days,
        {{ var('health_orders_window_days') }} / order_rhythms.usual_order_interval_days as expected_recent_orders,
        -- engagement
        coalesce(message_counts.lifecycle_messages, 0) as lifecycle_messages,
        coalesce(message_counts.lifecycle_messages_clicked, 0) as lifecycle_messages_clicked,
        coalesce(message_counts.lifecycle_messages_converted, 0) as lifecycle_messages_converted,
        coalesce({{ within_point | replace('__ts__', 'opt_outs.first_opted_out_at') }}, false) as has_opted_out
    from account_points
    left join account_statuses
        on
            account_points.account_id = account_statuses.account_id
            and account_points.point_key = account_statuses.point_key
    left join account_pending_rebills
        on
            account_points.account_id = account_pending_rebills.account_id
            and account_points.point_key = account_pending_rebills.point_key
    left join first_attempts
        on
            account_points.account_id = first_attempts.account_id
            and account_points.point_key = first_attempts.point_key
    left join failing_methods
        on
            account_points.account_id = failing_methods.account_id
            and account_points.point_key = failing_methods.point_key
    left join next_renewals
        on
            account_points.account_id = next_renewals.account_id
            and account_points.point_key = next_renewals.point_key
    left join support_tickets
        on
            account_points.account_id = support_tickets.account_id
            and account_points.point_key = support_tickets.point_key
    left join order_rhythms
        on
            account_points.account_id = order_rhythms.account_id
            and account_points.point_key = order_rhythms.point_key
    left join message_counts
        on
            account_points.account_id = message_counts.account_id
            and account_points.point_key = message_counts.point_key
    left join opt_outs
        on account_points.account_id = opt_outs.account_id
)

select * from final
