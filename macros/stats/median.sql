{#-
    Aggregate median (the 50th percentile, interpolated between the two middle values where the
    engine can) of a numeric expression, for use in a grouped select. Engines spell it
    differently, so it is dispatched: the default is the ANSI ordered-set aggregate
    `percentile_cont(0.5) within group (order by ...)` (Postgres, Snowflake, Redshift, Trino);
    DuckDB has `median()`; Spark and Databricks have `percentile()` (exact); BigQuery has no
    grouped percentile_cont, so it takes the middle of `approx_quantiles`. Nulls are ignored;
    the median of no rows is null.
-#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'account_kpis')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    median({{ expression }})
{%- endmacro %}

{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}

{% macro databricks__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}

{% macro bigquery__median(expression) -%}
    approx_quantiles({{ expression }}, 2)[offset(1)]
{%- endmacro %}

{#- PostgreSQL's percentile_cont works in double precision: return numeric, as DuckDB's median
    of a decimal is a decimal (and round(x, 2) on it then exists on PostgreSQL). -#}
{% macro postgres__median(expression) -%}
    cast(percentile_cont(0.5) within group (order by {{ expression }}) as numeric)
{%- endmacro %}
