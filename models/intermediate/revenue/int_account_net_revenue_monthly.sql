{#-
    Rule D7, net collected revenue per account and calendar month (UTC), gateway rows only
    (shop refunds are never added again). Approved payments, minus refunds (A refunds, approved
    B refunds), minus lost chargebacks (A disputes lost, every B chargeback), minus
    `chargeback_fee_usd` per lost chargeback. Every amount is absolute, converted at the rate of
    the month of its own timestamp and counted in that month. A reversal without a known account
    of its own takes the account of the payment it reverses. One row per account and month with
    activity, through as_of (months after the last reported month included).
-#}
with

payments as (
    select * from {{ ref('int_payments_attributed') }}
),

reversals as (
    select * from {{ ref('int_payment_reversals_linked') }}
),

accounts as (
    select * from {{ ref('int_accounts_resolved') }}
),

account_payments as (
    select
        account_id,
        paid_month as month_start,
        count(*) as approved_payment_count,
        sum(amount_usd) as approved_payments_usd
    from payments
    where account_id is not null
    group by 1, 2
),

counted_reversals as (
    -- a reversal whose USD amount is missing (no FX rate, flagged upstream) cannot be counted
    select
        coalesce(known_accounts.account_id, payments.account_id) as account_id,
        reversals.reversed_month as month_start,
        reversals.reversal_type,
        reversals.is_lost_chargeback,
        abs(reversals.amount_usd) as amount_usd
    from reversals
    left join accounts as known_accounts
        on reversals.account_id = known_accounts.account_id
    left join payments
        on reversals.reversed_payment_id = payments.payment_id
    where
        reversals.counts_against_revenue
        and reversals.amount_usd is not null
),

account_reversals as (
    select
        account_id,
        month_start,
        sum(case when reversal_type = 'refund' then 1 else 0 end) as refund_count,
        sum(case when reversal_type = 'refund' then amount_usd else 0 end) as refunds_usd,
        sum(case when is_lost_chargeback then 1 else 0 end) as lost_chargeback_count,
        sum(case when is_lost_chargeback then amount_usd else 0 end) as lost_chargebacks_usd
    from counted_reversals
    where account_id is not null
    group by 1, 2
),

account_months as (
    select
        account_id,
        month_start
    from account_payments
    union
    select
        account_id,
        month_start
    from account_reversals
),

combined as (
    select
        account_months.account_id,
        account_months.month_start,
        coalesce(account_payments.approved_payment_count, 0) as approved_payment_count,
        coalesce(account_payments.approved_payments_usd, 0) as approved_payments_usd,
        coalesce(account_reversals.refund_count, 0) as refund_count,
        coalesce(account_reversals.refunds_usd, 0) as refunds_usd,
        coalesce(account_reversals.lost_chargeback_count, 0) as lost_chargeback_count,
        coalesce(account_reversals.lost_chargebacks_usd, 0) as lost_chargebacks_usd
    from account_months
    left join account_payments
        on
            account_months.account_id = account_payments.account_id
            and account_months.month_start = account_payments.month_start
    left join account_reversals
        on
            account_months.account_id = account_reversals.account_id
            and account_months.month_start = account_reversals.month_start
),

with_fees as (
    select
        combined.*,
        cast({{ var('chargeback_fee_usd') }} as decimal(18, 2)) * combined.lost_chargeback_count
            as chargeback_fees_usd
    from combined
),

final as (
    select
        account_id,
        month_start,
        cast(approved_payment_count as {{ dbt.type_int() }}) as approved_payment_count,
        cast(approved_payments_usd as decimal(18, 2)) as approved_payments_usd,
        cast(refund_count as {{ dbt.type_int() }}) as refund_count,
        cast(refunds_usd as decimal(18, 2)) as refunds_usd,
        cast(lost_chargeback_count as {{ dbt.type_int() }}) as lost_chargeback_count,
        cast(lost_chargebacks_usd as decimal(18, 2)) as lost_chargebacks_usd,
        cast(chargeback_fees_usd as decimal(18, 2)) as chargeback_fees_usd,
        cast(
            approved_payments_usd - refunds_usd - lost_chargebacks_usd - chargeback_fees_usd
            as decimal(18, 2)
        ) as net_revenue_usd,
        refund_count + lost_chargeback_count > 0 as has_refund_or_lost_chargeback
    from with_fees
)

select * from final
