{#-
    Rule D4 attempts, both gateways in one shape: processor A charges that succeeded or
    failed (pending is not an attempt) and processor B sales approved (1) or failed (2, 3).
    B sales without an order reference take their invoice from the original_transaction_id
    chain. Attempts after as_of are left out.
-#}
with

charges as (
    select * from {{ ref('stg_processor_a__charges') }}
),

transactions as (
    select * from {{ ref('stg_processor_b__transactions') }}
),

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

-- Accounts (rule D1), orphan customer ids that billing references included.
customers as (
    select account_id as customer_id from {{ ref('int_accounts_resolved') }}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

decline_codes as (
    select * from {{ ref('decline_codes') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

-- Rule D4: a B sale without an order reference belongs to the invoice its
-- original_transaction_id chain of SALES leads to; other transaction types break the chain.
sales as (
    select * from transactions
    where transaction_type = 'sale'
),

{{ transaction_chain_ctes('sales', 'chain', ['invoice_id', 'shop_order_name', 'customer_id']) }},

-- An order name can repeat in the shop's export: a name resolves to the newest order.
orders_by_name as (
    select
        order_name,
        order_id
    from (
        select
            order_name,
            order_id,
            row_number() over (partition by order_name order by created_at desc, order_id desc) as name_rank
        from orders
        where order_name is not null
    ) as ranked
    where name_rank = 1
),

processor_a_attempts as (
    select
        charges.charge_id as attempt_id,
        'processor_a' as gateway,
        1 as gateway_order,
        'charge' as source_record,
        charges.invoice_id,
        charges.customer_id as gateway_customer_id,
        charges.order_ref as shop_order_id,
        cast(null as {{ dbt.type_string() }}) as shop_order_name,
        charges.created_at as attempted_at,
        charges.charge_status = 'succeeded' as is_approved,
        case when charges.charge_status = 'failed' then coalesce(charges.failure_code, 'unknown') end
            as decline_code,
        charges.amount_minor,
        charges.currency,
        charges.amount_usd,
        charges.payment_method_fingerprint
    from charges
    where charges.charge_status in ('succeeded', 'failed')
),

processor_b_attempts as (
    select
        transactions.transaction_id as attempt_id,
        'processor_b' as gateway,
        2 as gateway_order,
        'transaction' as source_record,
        chain_resolved.resolved_invoice_id as invoice_id,
        chain_resolved.resolved_customer_id as gateway_customer_id,
        cast(null as {{ dbt.type_string() }}) as shop_order_id,
        chain_resolved.resolved_shop_order_name as shop_order_name,
        transactions.transacted_at as attempted_at,
        transactions.response = 'approved' as is_approved,
        case when transactions.response <> 'approved' then coalesce(transactions.response_code, 'unknown') end
            as decline_code,
        transactions.amount_minor,
        transactions.currency,
        transactions.amount_usd,
        cast(null as {{ dbt.type_string() }}) as payment_method_fingerprint
    from transactions
    inner join chain_resolved
        on transactions.transaction_id = chain_resolved.transaction_id
    where
        transactions.transaction_type = 'sale'
        and transactions.response in ('approved', 'declined', 'error')
),

unioned as (
    select * from processor_a_attempts
    union all
    select * from processor_b_attempts
),

in_window as (
    select unioned.*
    from unioned
    cross join as_of
    where {{ within_as_of('unioned.attempted_at') }}
),

attached as (
    select
        in_window.*,
        invoices.invoice_id is not null as is_known_invoice,
        invoices.subscription_id,
        coalesce(order_by_id.order_id, order_by_name.order_id) as resolved_shop_order_id,
        coalesce(gateway_customers.customer_id, invoice_customers.customer_id) as account_id,
        case
            when gateway_customers.customer_id is not null then 'gateway_customer'
            when invoice_customers.customer_id is not null then 'invoice'
            else 'unmatched'
        end as account_match_rule
    from in_window
    left join invoices
        on in_window.invoice_id = invoices.invoice_id
    left join customers as gateway_customers
        on in_window.gateway_customer_id = gateway_customers.customer_id
    left join customers as invoice_customers
        on invoices.customer_id = invoice_customers.customer_id
    left join orders as order_by_id
        on in_window.shop_order_id = order_by_id.order_id
    left join orders_by_name as order_by_name
        on in_window.shop_order_name = order_by_name.order_name
),

classified as (
    select
        attached.*,
        case
            when attached.is_approved then null
            else coalesce(decline_codes.decline_class, 'unknown')
        end as decline_class
    from attached
    left join decline_codes
        on
            attached.gateway = decline_codes.gateway
            and attached.decline_code = decline_codes.decline_code
),

numbered as (
    select
        classified.*,
        case
            when classified.invoice_id is not null
                then row_number() over (
                    partition by classified.invoice_id
                    order by classified.attempted_at, classified.gateway_order, classified.attempt_id
                )
        end as attempt_number
    from classified
),

final as (
    select
        attempt_id,
        gateway,
        source_record,
        invoice_id,
        is_known_invoice,
        subscription_id,
        account_id,
        account_match_rule,
        resolved_shop_order_id as shop_order_id,
        attempted_at,
        cast({{ dbt.date_trunc('month', 'attempted_at') }} as date) as attempted_month,
        is_approved,
        attempt_number,
        decline_code,
        decline_class,
        amount_minor,
        currency,
        amount_usd,
        payment_method_fingerprint
    from numbered
)

select * from final
