{#-
    Rule D6: expansion revenue per month and segment (segment_type = 'all' for the whole
    base, else value segment, product line, acquisition channel, sliced as in D5). Recurring
    expansion is the D5 expansion split by cause; one-time expansion comes from shop orders of
    accounts with start MRR > 0 in the order's month (`int_one_time_expansion_orders`). One-time
    expansion is reported beside recurring expansion and never enters NRR.
    Grain: one row per month and segment. Primary key: (month_start, segment).
-#}
with

periods as (
    select * from {{ ref('int_mrr_periods') }}
    where period_grain = 'month'
),

movements as (
    select * from {{ ref('int_mrr_movements_monthly') }}
),

segments as (
    select * from {{ ref('int_account_period_segments') }}
    where period_grain = 'month'
),

one_time_orders as (
    select * from {{ ref('int_one_time_expansion_orders') }}
    where is_one_time_expansion
),

segment_types as (
    {{ account_kpis.segment_types() }}
),

account_one_time as (
    select
        account_id,
        month_start,
        count(*) as one_time_orders,
        sum(one_time_upsell_usd) as one_time_upsell_usd,
        sum(one_time_cross_sell_usd) as one_time_cross_sell_usd,
        sum(one_time_post_purchase_usd) as one_time_post_purchase_usd,
        sum(one_time_sms_usd) as one_time_sms_usd,
        sum(one_time_expansion_usd) as one_time_expansion_usd
    from one_time_orders
    group by 1, 2
),

account_months as (
    select
        movements.account_id,
        movements.month_start,
        segments.value_segment,
        segments.product_line,
        segments.acquisition_channel,
        movements.expansion_usd,
        movements.expansion_plan_upgrade_usd,
        movements.expansion_quantity_increase_usd,
        movements.expansion_new_subscription_usd,
        coalesce(account_one_time.one_time_orders, 0) as one_time_orders,
        coalesce(account_one_time.one_time_upsell_usd, 0) as one_time_upsell_usd,
        coalesce(account_one_time.one_time_cross_sell_usd, 0) as one_time_cross_sell_usd,
        coalesce(account_one_time.one_time_post_purchase_usd, 0) as one_time_post_purchase_usd,
        coalesce(account_one_time.one_time_sms_usd, 0) as one_time_sms_usd,
        coalesce(account_one_time.one_time_expansion_usd, 0) as one_time_expansion_usd
    from movements
    left join segments
        on
            movements.account_id = segments.account_id
            and movements.month_start = segments.period_start
    left join account_one_time
        on
            movements.account_id = account_one_time.account_id
            and movements.month_start = account_one_time.month_start
),

sliced as (
    -- each account-month once per segment type
    select
        account_months.*,
        segment_types.segment_type,
        {{ account_kpis.segment_value('segment_types.segment_type', 'account_months') }} as segment_value
    from account_months
    cross join segment_types
),

labelled as (
    select
        sliced.*,
        {{ account_kpis.segment_label('sliced.segment_type', 'sliced.segment_value') }} as segment
    from sliced
),

aggregated as (
    select
        month_start,
        segment_type,
        segment_value,
        segment,
        sum(case when expansion_usd > 0 then 1 else 0 end) as expanding_accounts,
        sum(expansion_usd) as recurring_expansion_usd,
        sum(expansion_plan_upgrade_usd) as expansion_plan_upgrade_usd,
        sum(expansion_quantity_increase_usd) as expansion_quantity_increase_usd,
        sum(expansion_new_subscription_usd) as expansion_new_subscription_usd,
        sum(case when one_time_orders > 0 then 1 else 0 end) as one_time_accounts,
        sum(one_time_orders) as one_time_orders,
        sum(one_time_upsell_usd) as one_time_upsell_usd,
        sum(one_time_cross_sell_usd) as one_time_cross_sell_usd,
        sum(one_time_post_purchase_usd) as one_time_post_purchase_usd,
        sum(one_time_sms_usd) as one_time_sms_usd,
        sum(one_time_expansion_usd) as one_time_expansion_usd
    from labelled
    group by 1, 2, 3, 4
),

report_keys as (
    -- every reported month has an 'all' row, even with no account in it
    select
        period_start as month_start,
        'all' as segment_type,
        'all' as segment_value,
        'all' as segment
    from periods
    union
    select
        month_start,
        segment_type,
        segment_value,
        segment
    from aggregated
),

filled as (
    select
        report_keys.month_start,
        report_keys.segment_type,
        report_keys.segment_value,
        report_keys.segment,
        coalesce(aggregated.expanding_accounts, 0) as expanding_accounts,
        coalesce(aggregated.recurring_expansion_usd, 0) as recurring_expansion_usd,
        coalesce(aggregated.expansion_plan_upgrade_usd, 0) as expansion_plan_upgrade_usd,
        coalesce(aggregated.expansion_quantity_increase_usd, 0) as expansion_quantity_increase_usd,
        coalesce(aggregated.expansion_new_subscription_usd, 0) as expansion_new_subscription_usd,
        coalesce(aggregated.one_time_accounts, 0) as one_time_accounts,
        coalesce(aggregated.one_time_orders, 0) as one_time_orders,
        coalesce(aggregated.one_time_upsell_usd, 0) as one_time_upsell_usd,
        coalesce(aggregated.one_time_cross_sell_usd, 0) as one_time_cross_sell_usd,
        coalesce(aggregated.one_time_post_purchase_usd, 0) as one_time_post_purchase_usd,
        coalesce(aggregated.one_time_sms_usd, 0) as one_time_sms_usd,
        coalesce(aggregated.one_time_expansion_usd, 0) as one_time_expansion_usd
    from report_keys
    left join aggregated
        on
            report_keys.month_start = aggregated.month_start
            and report_keys.segment = aggregated.segment
),

final as (
    select
        cast(month_start as date) as month_start,
        cast(segment_type as {{ dbt.type_string() }}) as segment_type,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(segment_value as {{ dbt.type_string() }}) as segment_value,
        cast(expanding_accounts as {{ dbt.type_int() }}) as expanding_accounts,
        cast(recurring_expansion_usd as decimal(18, 2)) as recurring_expansion_usd,
        cast(expansion_plan_upgrade_usd as decimal(18, 2)) as expansion_plan_upgrade_usd,
        cast(expansion_quantity_increase_usd as decimal(18, 2)) as expansion_quantity_increase_usd,
        cast(expansion_new_subscription_usd as decimal(18, 2)) as expansion_new_subscription_usd,
        cast(one_time_accounts as {{ dbt.type_int() }}) as one_time_accounts,
        cast(one_time_orders as {{ dbt.type_int() }}) as one_time_orders,
        cast(one_time_upsell_usd as decimal(18, 2)) as one_time_upsell_usd,
        cast(one_time_cross_sell_usd as decimal(18, 2)) as one_time_cross_sell_usd,
        cast(one_time_post_purchase_usd as decimal(18, 2)) as one_time_post_purchase_usd,
        cast(one_time_sms_usd as decimal(18, 2)) as one_time_sms_usd,
        cast(one_time_expansion_usd as decimal(18, 2)) as one_time_expansion_usd,
        cast(recurring_expansion_usd + one_time_expansion_usd as decimal(18, 2)) as total_expansion_usd
    from filled
)

select * from final
