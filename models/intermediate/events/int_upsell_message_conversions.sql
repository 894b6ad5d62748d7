{#-
    Rule D10, upsell conversion: one row per sent `post_payment_upsell` message, converted when
    a one-time expansion order of the same account (rule D6: `int_one_time_expansion_orders`
    with `is_one_time_expansion` and a positive one-time amount) was created at or after the
    send and at most `upsell_conversion_days` × 24 h later (inclusive). The first such order is
    recorded. Orders are those of reported months (D6), so a message whose window reaches past
    the last reported month can only convert on orders inside it.
-#}
{%- set conversion_hours = var('upsell_conversion_days') * 24 -%}

with

messages as (
    select * from {{ ref('int_messages_sent') }}
    where flow = 'post_payment_upsell'
),

orders as (
    select * from {{ ref('int_one_time_expansion_orders') }}
    where is_one_time_expansion and one_time_expansion_usd > 0
),

matched_orders as (
    select
        messages.message_id,
        orders.order_id,
        orders.created_at,
        orders.one_time_expansion_usd,
        row_number() over (
            partition by messages.message_id
            order by orders.created_at, orders.order_id
        ) as order_rank
    from messages
    inner join orders
        on
            messages.account_id = orders.account_id
            and messages.sent_at <= orders.created_at
            and orders.created_at <= {{ dbt.dateadd('hour', conversion_hours, 'messages.sent_at') }}
),

first_orders as (
    select *
    from matched_orders
    where order_rank = 1
),

final as (
    select
        messages.message_id,
        messages.account_id,
        messages.trigger_ref,
        messages.sent_at,
        messages.sent_month,
        first_orders.order_id as converting_order_id,
        first_orders.created_at as converting_order_at,
        first_orders.one_time_expansion_usd as converting_order_usd,
        first_orders.order_id is not null as is_converted
    from messages
    left join first_orders
        on messages.message_id = first_orders.message_id
)

select * from final
