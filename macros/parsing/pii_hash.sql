{#-
    Stable one-way key for a normalised email or phone. Raw emails and phones never leave
    staging: every later model joins on these hashes. md5 hex via dbt's cross-database hash,
    so the same value hashes the same on every engine. Null stays null.
-#}
{% macro pii_hash(normalized_expression) -%}
    case when ({{ normalized_expression }}) is not null then {{ dbt.hash(normalized_expression) }} end
{%- endmacro %}
