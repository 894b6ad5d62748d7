{#-
    Normalise a raw code: trim, lower case, spaces and hyphens to underscores, then map
    known alternative spellings (`aliases`, e.g. {'cancelled': 'canceled'}) and keep only
    the `accepted` values; any other non-empty value becomes 'unknown' (rule D0: kept,
    changes no status). Null or empty stays null.
-#}
{% macro normalize_enum(column, accepted, aliases={}) -%}
    {%- set cleaned = "replace(replace(lower(" ~ account_kpis.clean_text(column) ~ "), ' ', '_'), '-', '_')" -%}
    case
        when {{ account_kpis.clean_text(column) }} is null then null
        {%- for alias, target in aliases.items() %}
        when {{ cleaned }} = '{{ alias }}' then '{{ target }}'
        {%- endfor %}
        when {{ cleaned }} in ({% for value in accepted %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor %})
            then {{ cleaned }}
        else 'unknown'
    end
{%- endmacro %}
