{#- Normalised email (rule D1): trimmed, lower case; null when empty or without an '@'. -#}
{% macro normalize_email(column) -%}
    case
        when {{ account_kpis.clean_text(column) }} like '%@%'
            then lower({{ account_kpis.clean_text(column) }})
    end
{%- endmacro %}
