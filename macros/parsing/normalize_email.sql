{#- Normalised email (rule D1): trimmed, lower case; null when empty or without an '@'.
    Trimming removes tabs and line breaks as well as spaces (a value exported as
    '\t Jane@X.com \n' is the same address as 'jane@x.com'); characters inside the value are kept.
    Standard SQL trim(both ... from ...), so it reads the same on every engine. -#}
{% macro normalize_email(column) -%}
    {%- set trimmed = "nullif(trim(both ' ' || chr(9) || chr(10) || chr(13) from "
        ~ account_kpis.clean_text(column) ~ "), '')" -%}
    case
        when {{ trimmed }} like '%@%'
            then lower({{ trimmed }})
    end
{%- endmacro %}
