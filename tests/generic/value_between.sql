{#-
    Generic test: fails with every row whose `column_name` lies outside [`min_value`, `max_value`]
    (both bounds inclusive), e.g. a health score or component outside 0-100 (rule D8). Nulls
    pass; pair it with `not_null` where a value is required.
-#}
{% test value_between(model, column_name, min_value, max_value) %}

select *
from {{ model }}
where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}

{% endtest %}
