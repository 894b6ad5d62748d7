{#-
    Generic test: every row must fill every column in `columns` — not null and, once cast to
    text and trimmed, not empty. Fails with every row where one of them is missing (e.g. rule
    D11: each dashboard KPI names its formula, data source, reporting frequency, target and
    owner). Applied to the model, not to one column.
-#}
{% test all_filled(model, columns) %}

select *
from {{ model }}
where
    {% for col in columns -%}
    {{ col }} is null
    or trim(cast({{ col }} as {{ dbt.type_string() }})) = ''
    {%- if not loop.last %}
    or {% endif %}
    {%- endfor %}

{% endtest %}
