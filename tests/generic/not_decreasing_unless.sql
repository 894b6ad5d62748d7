{#-
    Generic test: within each group of `partition_by` (a column or a list of columns), ordered
    by `order_by`, `column_name` may only fall on a row where the boolean `allowed_if` is true
    (e.g. a cohort's LTV only falls in a month with a refund or a lost chargeback, rule D7).
    Fails with every row whose value is below the previous row's while `allowed_if` is not true.
-#}
{% test not_decreasing_unless(model, column_name, partition_by, order_by, allowed_if) %}
{%- set partition_columns = [partition_by] if partition_by is string else partition_by %}

with

ordered as (
    select
        {{ partition_columns | join(', ') }},
        {{ order_by }} as order_value,
        {{ column_name }} as checked_value,
        {{ allowed_if }} as is_fall_allowed,
        lag({{ column_name }}) over (
            partition by {{ partition_columns | join(', ') }}
            order by {{ order_by }}
        ) as previous_value
    from {{ model }}
)

select *
from ordered
where
    previous_value is not null
    and checked_value < previous_value
    and not coalesce(is_fall_allowed, false)

{% endtest %}
