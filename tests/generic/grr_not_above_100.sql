{#-
    Generic test (rule D5, gross revenue retention): fails with every row whose GRR % column
    is above 100. Churned revenue is never negative, so (start − churned) ÷ start can never
    exceed 100 %; a row above it means a movement was misclassified. NULL (start = 0) passes.
-#}
{% test grr_not_above_100(model, column_name) %}

select *
from {{ model }}
where {{ column_name }} > 100

{% endtest %}
