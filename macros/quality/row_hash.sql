{#-
    Hash of a whole raw row (rule D0 tie-break for duplicates: the greatest hash wins).
    Built from the raw text values, nulls spelled as '\N', so the same input hashes to the
    same value on every engine.
-#}
{% macro row_hash(columns) -%}
    {{ return(adapter.dispatch('row_hash', 'account_kpis')(columns)) }}
{%- endmacro %}

{% macro default__row_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for col in columns -%}
        {%- do parts.append("coalesce(cast(" ~ col ~ " as " ~ dbt.type_string() ~ "), '\\N')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}

{#- PostgreSQL: raw column names quoted (`interval` is a keyword there); same text, same md5. -#}
{% macro postgres__row_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for col in columns -%}
        {%- do parts.append("coalesce(cast(" ~ account_kpis.raw_column_ref(col) ~ " as " ~ dbt.type_string() ~ "), '\\N')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}

{#- Spark: a backslash in a string literal is an escape, so the null marker is written '\\N'
    (the text \N, as on the other engines); raw column names quoted with backticks. -#}
{% macro spark__row_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for col in columns -%}
        {%- do parts.append("coalesce(cast(" ~ account_kpis.raw_column_ref(col) ~ " as " ~ dbt.type_string() ~ "), '\\\\N')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
