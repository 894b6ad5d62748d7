{#-
    The engine's 8-byte floating-point type, for `cast(... as {{ account_kpis.type_double() }})`.
    DuckDB and Spark spell it `double`, PostgreSQL (and Snowflake, Redshift) `double precision`,
    BigQuery `float64`. (dbt.type_float() is no substitute: on DuckDB `float` is 4-byte REAL.)
-#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'account_kpis')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{% macro databricks__type_double() -%}
    double
{%- endmacro %}

{% macro bigquery__type_double() -%}
    float64
{%- endmacro %}
