{#-
    Generic test: fails with every row of the model for which `expression` is not true
    (null counts as a failure). Use for identities such as
    `raw_rows = staged_rows + duplicate_rows_removed + quarantined_rows`.
-#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}
