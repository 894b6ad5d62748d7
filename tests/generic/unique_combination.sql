{#-
    Generic test: fails with every combination of `combination_of_columns` that occurs on more
    than one row of the model (a multi-column primary key). Nulls are compared as values, so a
    key column should also carry `not_null` where nulls are not allowed.
-#}
{% test unique_combination(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
