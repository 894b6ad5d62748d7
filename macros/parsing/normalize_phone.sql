{#-
    Normalised phone (rule D1): digits only; a 10-digit number is taken as North American
    and prefixed with country code 1, so '(555) 010-0199', '+1 555 010 0199' and
    '5550100199' all become '15550100199'. Fewer than 7 digits is not a phone: null.
-#}
{% macro normalize_phone(column) -%}
    {%- set digits = account_kpis.digits_only(column) -%}
    case
        when length({{ digits }}) = 10 then '1' || {{ digits }}
        when length({{ digits }}) >= 7 then {{ digits }}
    end
{%- endmacro %}

{% macro digits_only(column) -%}
    {{ return(adapter.dispatch('digits_only', 'account_kpis')(column)) }}
{%- endmacro %}

{% macro default__digits_only(column) -%}
    regexp_replace(coalesce({{ column }}, ''), '[^0-9]', '', 'g')
{%- endmacro %}

{#- Spark's regexp_replace always replaces every match and takes no flags. -#}
{% macro spark__digits_only(column) -%}
    regexp_replace(coalesce({{ column }}, ''), '[^0-9]', '')
{%- endmacro %}
