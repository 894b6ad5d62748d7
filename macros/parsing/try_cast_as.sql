{#-
    Cast that yields null instead of failing (dbt.safe_cast is a plain cast on DuckDB).
    `data_type` is a SQL type name such as 'bigint' or 'decimal(38, 6)'.
-#}
{% macro try_cast_as(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast_as', 'account_kpis')(expression, data_type)) }}
{%- endmacro %}

{% macro default__try_cast_as(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
