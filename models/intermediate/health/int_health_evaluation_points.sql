{#-
    Rule D8: the instants at which account health is evaluated, so the scoring logic is
    written once: the end of every reported month (history; the state just before
    `month_end_at`, exclusive) and the build's as_of instant (snapshot; exclusive or inclusive
    as int_as_of says). Each point carries the start of every signal window (vars, in days).
    A record at time ts is "within" a point when ts < evaluated_at, or ts = evaluated_at and
    the point is inclusive.
-#}
with

as_of as (
    select * from {{ ref('int_as_of') }}
),

reporting_months as (
    select * from {{ ref('int_reporting_months') }}
),

month_end_points as (
    select
        'month_end' as point_type,
        month_start,
        month_end_at as evaluated_at,
        true as is_evaluated_at_exclusive
    from reporting_months
),

as_of_point as (
    select
        'as_of' as point_type,
        cast(null as date) as month_start,
        as_of_at as evaluated_at,
        is_as_of_exclusive as is_evaluated_at_exclusive
    from as_of
),

points as (
    select * from month_end_points
    union all
    select * from as_of_point
),

final as (
    select
        case
            when point_type = 'as_of' then 'as_of'
            else {{ dbt.concat(["'month_end:'", "cast(month_start as " ~ dbt.type_string() ~ ")"]) }}
        end as point_key,
        point_type,
        month_start,
        evaluated_at,
        is_evaluated_at_exclusive,
        {{ dbt.dateadd('day', -var('health_payment_window_days'), 'evaluated_at') }}
            as payment_window_start_at,
        {{ dbt.dateadd('day', -var('health_failed_method_lookback_days'), 'evaluated_at') }}
            as failed_method_window_start_at,
        {{ dbt.dateadd('day', -var('health_support_window_days'), 'evaluated_at') }}
            as support_window_start_at,
        {{ dbt.dateadd('day', -var('health_orders_window_days'), 'evaluated_at') }}
            as orders_window_start_at,
        {{ dbt.dateadd('day', -var('health_engagement_window_days'), 'evaluated_at') }}
            as engagement_window_start_at
    from points
)

select * from final
