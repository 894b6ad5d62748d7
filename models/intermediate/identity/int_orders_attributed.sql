{#-
    Rule D1 (account) for shop orders: the order's `billing_customer_id` when it is a known
    customer, else its email hash through the email keys of `int_identity_keys` (customer
    email first, then the email of an attached CRM contact), else unmatched. Every staged
    order is kept; an orphan is flagged `is_unmatched` and counted in the identity audit.
-#}
with

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

customers as (
    select * from {{ ref('stg_billing__customers') }}
),

email_keys as (
    select * from {{ ref('int_identity_keys') }}
    where key_type = 'email'
),

final as (
    select
        orders.order_id,
        orders.order_name,
        orders.email_hash,
        orders.billing_customer_id,
        orders.created_at,
        orders.cancelled_at,
        orders.financial_status,
        orders.source_name,
        orders.currency,
        orders.currency_exponent,
        orders.usd_per_unit,
        orders.subtotal_price_minor,
        orders.total_discounts_minor,
        orders.total_price_minor,
        orders.subtotal_price_usd,
        orders.total_discounts_usd,
        orders.total_price_usd,
        coalesce(customers.customer_id, email_keys.account_id) as account_id,
        case
            when customers.customer_id is not null then 'billing_customer_id'
            when email_keys.account_id is not null then email_keys.key_source
            else 'unmatched'
        end as match_rule,
        coalesce(customers.customer_id, email_keys.account_id) is null as is_unmatched,
        orders.billing_customer_id is not null
        and customers.customer_id is null as has_unknown_billing_customer
    from orders
    left join customers
        on orders.billing_customer_id = customers.customer_id
    left join email_keys
        on orders.email_hash = email_keys.key_hash
)

select * from final
