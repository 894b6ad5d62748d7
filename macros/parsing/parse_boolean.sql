{#- Raw boolean text in any case ('true', 'T', '1', 'yes' / 'false', 'F', '0', 'no') to boolean; else null. -#}
{% macro parse_boolean(column) -%}
    case
        when lower({{ account_kpis.clean_text(column) }}) in ('true', 't', '1', 'yes', 'y') then true
        when lower({{ account_kpis.clean_text(column) }}) in ('false', 'f', '0', 'no', 'n') then false
    end
{%- endmacro %}
