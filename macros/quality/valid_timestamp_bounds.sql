{#- Rule D0 bounds: timestamps before var('min_valid_timestamp') or more than one day after
    the build's start are unusable. -#}
{% macro min_valid_timestamp() -%}
    cast('{{ var("min_valid_timestamp") }}' as timestamp)
{%- endmacro %}

{% macro max_valid_timestamp() -%}
    {{ dbt.dateadd('day', 1, "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)") }}
{%- endmacro %}
