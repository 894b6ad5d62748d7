{#-
    Hash of a whole raw row (rule D0 tie-break for duplicates: the greatest hash wins).
    Built from the raw text values, nulls spelled as '\N', so the same input hashes to the
    same value on every engine.
-#}
{% macro row_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for col in columns -%}
        {%- do parts.append("coalesce(cast(" ~ col ~ " as " ~ dbt.type_string() ~ "), '\\N')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
