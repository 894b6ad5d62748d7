{#-
    Generic test: `column_name` equals the sum of `summed_column` over the rows of the same
    `partition_by` group (a column or a list of columns) whose `order_by` value is at most the
    row's own — a cumulative total, recomputed here by a self-join rather than a window, so it
    checks the model's own window logic. Fails with every row where the two differ.
-#}
{% test equals_running_sum(model, column_name, summed_column, partition_by, order_by) %}
{%- set partition_columns = [partition_by] if partition_by is string else partition_by %}

with

recomputed as (
    select
        {% for col in partition_columns -%}
        checked.{{ col }},
        {% endfor -%}
        checked.{{ order_by }} as order_value,
        max(checked.{{ column_name }}) as checked_value,
        sum(running.{{ summed_column }}) as expected_value
    from {{ model }} as checked
    inner join {{ model }} as running
        on
            {% for col in partition_columns -%}
            checked.{{ col }} = running.{{ col }} and
            {% endfor -%}
            running.{{ order_by }} <= checked.{{ order_by }}
    group by
        {% for col in partition_columns -%}
        checked.{{ col }},
        {% endfor -%}
        checked.{{ order_by }}
)

select *
from recomputed
where not coalesce(checked_value = expected_value, false)

{% endtest %}
