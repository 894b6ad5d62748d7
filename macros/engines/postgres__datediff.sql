{#-
    dbt.datediff on PostgreSQL is built from date_part() and so returns double precision;
    DuckDB's (and Spark's, for whole units) is an integer. The same whole number as bigint,
    so arithmetic on it stays exact (numeric) as on the other engines.
-#}
{% macro postgres__datediff(first_date, second_date, datepart) -%}
    cast({{ dbt.postgres__datediff(first_date, second_date, datepart) }} as bigint)
{%- endmacro %}
