{#- Trim a raw text value; empty strings become null. -#}
{% macro clean_text(column) -%}
    {{ return(adapter.dispatch('clean_text', 'account_kpis')(column)) }}
{%- endmacro %}

{% macro default__clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{#- Postgres and Spark: a bare raw column name is quoted, so names that are keywords there
    (`interval` in billing/plans) still read as columns. -#}
{% macro postgres__clean_text(column) -%}
    nullif(trim({{ account_kpis.raw_column_ref(column) }}), '')
{%- endmacro %}

{% macro spark__clean_text(column) -%}
    nullif(trim({{ account_kpis.raw_column_ref(column) }}), '')
{%- endmacro %}

{#- `column` quoted when it is a bare lower-case identifier (a raw column name), else as given. -#}
{% macro raw_column_ref(column) -%}
    {%- if modules.re.match('^[a-z_][a-z0-9_]*$', column | string) -%}
        {{ adapter.quote(column) }}
    {%- else -%}
        {{ column }}
    {%- endif -%}
{%- endmacro %}
