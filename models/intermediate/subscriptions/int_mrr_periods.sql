{#-
    Rules D1 and D5: the periods MRR movements are reported for. Every reported month, and
    every quarter whose last month is reported (a quarter is measured from its own start and
    end, never by adding months). A period's start is the end of the month before it
    (opening_month_start); its end is the end of its last month (closing_month_start).
-#}
with

months as (
    select * from {{ ref('int_reporting_months') }}
),

month_periods as (
    select
        'month' as period_grain,
        month_start as period_start,
        month_end_at as period_end_at,
        previous_month_start as opening_month_start,
        month_start as closing_month_start
    from months
),

quarters as (
    select
        quarter_start,
        max(month_start) as last_reported_month_start,
        max(month_end_at) as last_reported_month_end_at
    from months
    group by 1
),

quarter_periods as (
    select
        'quarter' as period_grain,
        quarter_start as period_start,
        last_reported_month_end_at as period_end_at,
        cast({{ dbt.dateadd('month', -1, 'quarter_start') }} as date) as opening_month_start,
        last_reported_month_start as closing_month_start
    from quarters
    where last_reported_month_start = cast({{ dbt.dateadd('month', 2, 'quarter_start') }} as date)
),

final as (
    select * from month_periods
    union all
    select * from quarter_periods
)

select * from final
