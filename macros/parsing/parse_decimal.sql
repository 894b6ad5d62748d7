{#-
    Raw decimal text ('29.99', '-5', '1000.5') to decimal(38, 6); anything else (text such as
    'N/A', thousands separators, exponents) becomes null so the caller can quarantine it.
-#}
{% macro parse_decimal(column) -%}
    case
        when {{ account_kpis.regex_matches(account_kpis.clean_text(column), '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$') }}
            then {{ account_kpis.try_cast_as(account_kpis.clean_text(column), 'decimal(38, 6)') }}
    end
{%- endmacro %}
