{#-
    Normalise a comma-separated tag list: lower case, whitespace around each tag removed,
    empty tags dropped, so ' Billing , Cancel_Request,' becomes 'billing,cancel_request'.
    Null when no tag is left. Test a tag as a whole token with
    `',' || tags || ',' like '%,<tag>,%'` on the result.
-#}
{% macro normalize_tag_list(column) -%}
    {{ return(adapter.dispatch('normalize_tag_list', 'account_kpis')(column)) }}
{%- endmacro %}

{% macro default__normalize_tag_list(column) -%}
    nullif(
        trim(
            regexp_replace(
                regexp_replace(lower(coalesce({{ column }}, '')), '\s*,[\s,]*', ',', 'g'),
                '^\s+|\s+$', '', 'g'
            ),
            ','
        ),
        ''
    )
{%- endmacro %}

{#- PostgreSQL: the same regexes (ARE syntax), btrim for the commas. -#}
{% macro postgres__normalize_tag_list(column) -%}
    nullif(
        btrim(
            regexp_replace(
                regexp_replace(lower(coalesce({{ column }}, '')), '\s*,[\s,]*', ',', 'g'),
                '^\s+|\s+$', '', 'g'
            ),
            ','
        ),
        ''
    )
{%- endmacro %}

{#- Spark: regexp_replace replaces every match; backslashes doubled inside string literals;
    trim(BOTH ',' FROM ...) because Spark's two-argument trim takes its arguments the other way round. -#}
{% macro spark__normalize_tag_list(column) -%}
    nullif(
        trim(BOTH ',' FROM
            regexp_replace(
                regexp_replace(lower(coalesce({{ column }}, '')), '\\s*,[\\s,]*', ','),
                '^\\s+|\\s+$', ''
            )
        ),
        ''
    )
{%- endmacro %}
