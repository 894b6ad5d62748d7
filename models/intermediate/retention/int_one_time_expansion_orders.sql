{#-
    Rule D6, one-time expansion per shop order. Every order attached to an account
    (`int_orders_attributed`) with `financial_status` `paid` or `partially_refunded`, created
    on or before as_of inside a reported month (the order's month is the month of its
    `created_at`, UTC). Amounts in the order's currency are converted at the rate of the
    order's month (the order's `usd_per_unit`, from the `fx_rates` seed), then rounded to the
    cent, half away from zero:
    - `post_purchase` and `sms` orders: `total_price` less the order's shop refunds (those
      created on or before as_of, whenever they fall), in `one_time_post_purchase_usd` /
      `one_time_sms_usd`;
    - every other order: its lines with `offer_type` `upsell` / `cross_sell`, price × quantity,
      in `one_time_upsell_usd` / `one_time_cross_sell_usd`.
    `is_one_time_expansion` keeps only accounts with start MRR > 0 in the order's month (D6);
    the other orders stay here for audit and are never reported as expansion.
-#}
with

as_of as (
    select * from {{ ref('int_as_of') }}
),

months as (
    select * from {{ ref('int_reporting_months') }}
),

orders as (
    select * from {{ ref('int_orders_attributed') }}
),

order_lines as (
    select * from {{ ref('stg_shop__order_lines') }}
),

shop_refunds as (
    select * from {{ ref('stg_shop__refunds') }}
),

monthly_movements as (
    select * from {{ ref('int_mrr_movements_monthly') }}
),

eligible_orders as (
    select
        orders.order_id,
        orders.order_name,
        orders.account_id,
        orders.created_at,
        cast({{ dbt.date_trunc('month', 'orders.created_at') }} as date) as month_start,
        orders.financial_status,
        orders.source_name,
        orders.currency,
        orders.currency_exponent,
        orders.usd_per_unit,
        {{ minor_to_major('orders.total_price_minor', 'orders.currency_exponent') }} as total_price_amount,
        orders.source_name in ('post_purchase', 'sms') as is_whole_order
    from orders
    cross join as_of
    where
        orders.account_id is not null
        and orders.financial_status in ('paid', 'partially_refunded')
        and {{ within_as_of('orders.created_at') }}
),

reported_orders as (
    select eligible_orders.*
    from eligible_orders
    inner join months
        on eligible_orders.month_start = months.month_start
),

order_refunds as (
    select
        shop_refunds.order_id,
        sum(shop_refunds.amount) as refunded_amount
    from shop_refunds
    cross join as_of
    where {{ within_as_of('shop_refunds.created_at') }}
    group by 1
),

offer_lines as (
    select
        order_id,
        sum(case when offer_type = 'upsell' then price * quantity else 0 end) as upsell_amount,
        sum(case when offer_type = 'cross_sell' then price * quantity else 0 end) as cross_sell_amount
    from order_lines
    where offer_type in ('upsell', 'cross_sell')
    group by 1
),

amounts as (
    -- order-currency major units, exact
    select
        reported_orders.*,
        case
            when reported_orders.is_whole_order
                then reported_orders.total_price_amount - coalesce(order_refunds.refunded_amount, 0)
            else 0
        end as whole_order_amount,
        case
            when reported_orders.is_whole_order then 0
            else coalesce(offer_lines.upsell_amount, 0)
        end as upsell_amount,
        case
            when reported_orders.is_whole_order then 0
            else coalesce(offer_lines.cross_sell_amount, 0)
        end as cross_sell_amount,
        coalesce(order_refunds.refunded_amount, 0) as refunded_amount
    from reported_orders
    left join order_refunds
        on reported_orders.order_id = order_refunds.order_id
    left join offer_lines
        on reported_orders.order_id = offer_lines.order_id
),

converted as (
    select
        *,
        cast(
            round(case when source_name = 'post_purchase' then whole_order_amount else 0 end * usd_per_unit, 2)
            as decimal(18, 2)
        ) as one_time_post_purchase_usd,
        cast(
            round(case when source_name = 'sms' then whole_order_amount else 0 end * usd_per_unit, 2)
            as decimal(18, 2)
        ) as one_time_sms_usd,
        cast(round(upsell_amount * usd_per_unit, 2) as decimal(18, 2)) as one_time_upsell_usd,
        cast(round(cross_sell_amount * usd_per_unit, 2) as decimal(18, 2)) as one_time_cross_sell_usd
    from amounts
),

with_start_mrr as (
    select
        converted.*,
        coalesce(monthly_movements.start_mrr_usd, 0) as start_mrr_usd
    from converted
    left join monthly_movements
        on
            converted.account_id = monthly_movements.account_id
            and converted.month_start = monthly_movements.month_start
),

final as (
    select
        order_id,
        order_name,
        account_id,
        created_at,
        month_start,
        financial_status,
        source_name,
        currency,
        usd_per_unit,
        case when is_whole_order then 'whole_order' else 'offer_lines' end as one_time_basis,
        cast(refunded_amount as decimal(38, 6)) as refunded_amount,
        cast(start_mrr_usd as decimal(18, 2)) as start_mrr_usd,
        one_time_upsell_usd,
        one_time_cross_sell_usd,
        one_time_post_purchase_usd,
        one_time_sms_usd,
        cast(
            one_time_upsell_usd + one_time_cross_sell_usd + one_time_post_purchase_usd + one_time_sms_usd
            as decimal(18, 2)
        ) as one_time_expansion_usd,
        start_mrr_usd > 0 as is_one_time_expansion
    from with_start_mrr
)

select * from final
