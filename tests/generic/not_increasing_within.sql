{#-
    Generic test: within each group of `partition_by` (a column or a list of columns), ordered
    by `order_by`, `column_name` never grows from one row to the next. Fails with every row
    whose value is greater than the previous row's (e.g. a cohort that gains accounts with its
    month offset). Nulls in the column fail too.
-#}
{% test not_increasing_within(model, column_name, partition_by, order_by) %}
{%- set partition_columns = [partition_by] if partition_by is string else partition_by %}

with

ordered as (
    select
        {{ partition_columns | join(', ') }},
        {{ order_by }} as order_value,
        {{ column_name }} as checked_value,
        lag({{ column_name }}) over (
            partition by {{ partition_columns | join(', ') }}
            order by {{ order_by }}
        ) as previous_value
    from {{ model }}
)

select *
from ordered
where
    checked_value is null
    or (previous_value is not null and checked_value > previous_value)

{% endtest %}
