{#-
    Rule D1: the reported calendar months (UTC), one row per month from the month of the
    earliest invoice through the last month that ends on or before as_of.
-#}
with

as_of as (
    select * from {{ ref('int_as_of') }}
),

digits as (
    select 0 as digit
    union all
    select 1 as digit
    union all
    select 2 as digit
    union all
    select 3 as digit
    union all
    select 4 as digit
    union all
    select 5 as digit
    union all
    select 6 as digit
    union all
    select 7 as digit
    union all
    select 8 as digit
    union all
    select 9 as digit
),

month_numbers as (
    select ones.digit + 10 * tens.digit + 100 * hundreds.digit as month_number
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
),

spine as (
    select
        cast({{ dbt.dateadd('month', 'month_numbers.month_number', 'as_of.first_reported_month') }} as date)
            as month_start
    from month_numbers
    cross join as_of
),

final as (
    select
        spine.month_start,
        cast({{ dbt.dateadd('month', 1, 'spine.month_start') }} as timestamp) as month_end_at,
        cast({{ dbt.date_trunc('quarter', 'spine.month_start') }} as date) as quarter_start,
        cast({{ dbt.dateadd('month', -1, 'spine.month_start') }} as date) as previous_month_start,
        {{ dbt.datediff('as_of.first_reported_month', 'spine.month_start', 'month') }} as month_index
    from spine
    cross join as_of
    where spine.month_start <= as_of.last_reported_month
)

select * from final
