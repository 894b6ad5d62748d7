{#-
    Rule D7, which account a gateway payment belongs to. Every approved payment on either
    gateway (processor A charges that succeeded, processor B sales approved), whether it pays
    an invoice or a shop order. `int_payment_attempts_unified` already resolved the gateway's
    customer reference (B: along the original_transaction_id chain) and then the invoice's
    customer; that account is only taken when billing knows the customer (an invoice may name
    an unknown customer, an orphan). A payment still without an account takes the account of
    its shop order (`int_orders_attributed`). Payments that attach to no account are kept, flagged.
-#}
with

attempts as (
    select * from {{ ref('int_payment_attempts_unified') }}
),

orders as (
    select * from {{ ref('int_orders_attributed') }}
),

accounts as (
    select * from {{ ref('int_accounts_resolved') }}
),

approved_payments as (
    select
        attempt_id,
        gateway,
        invoice_id,
        shop_order_id,
        account_id,
        account_match_rule,
        attempted_at,
        attempted_month,
        amount_usd
    from attempts
    where is_approved
),

attributed as (
    select
        approved_payments.attempt_id as payment_id,
        approved_payments.gateway,
        approved_payments.invoice_id,
        approved_payments.shop_order_id,
        coalesce(known_accounts.account_id, orders.account_id) as account_id,
        case
            when known_accounts.account_id is not null then approved_payments.account_match_rule
            when orders.account_id is not null then 'shop_order'
            else 'unmatched'
        end as account_match_rule,
        approved_payments.attempted_at as paid_at,
        approved_payments.attempted_month as paid_month,
        abs(approved_payments.amount_usd) as amount_usd
    from approved_payments
    left join accounts as known_accounts
        on approved_payments.account_id = known_accounts.account_id
    left join orders
        on approved_payments.shop_order_id = orders.order_id
),

final as (
    select
        payment_id,
        gateway,
        invoice_id,
        shop_order_id,
        account_id,
        account_match_rule,
        paid_at,
        paid_month,
        amount_usd,
        account_id is null as is_unmatched
    from attributed
)

select * from final
