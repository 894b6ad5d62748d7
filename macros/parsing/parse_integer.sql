{#- Raw text to bigint: digits with an optional sign only (no '1e3', no '12.5'); else null. -#}
{% macro parse_integer(column) -%}
    case
        when {{ account_kpis.regex_matches(account_kpis.clean_text(column), '^[+-]?[0-9]+$') }}
            then {{ account_kpis.try_cast_as(account_kpis.clean_text(column), 'bigint') }}
    end
{%- endmacro %}
