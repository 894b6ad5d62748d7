{#-
    Rule D1: true when timestamp `ts` is not after the build's as_of instant. `as_of_alias`
    names a relation with the columns of `int_as_of` (`as_of_at`, `is_as_of_exclusive`):
    with var('as_of_date') the instant is the end of that day and is exclusive; when derived
    from the data it is the latest invoice or payment-attempt time and is inclusive.
-#}
{% macro within_as_of(ts, as_of_alias='as_of') -%}
    ({{ ts }} < {{ as_of_alias }}.as_of_at
        or ({{ ts }} = {{ as_of_alias }}.as_of_at and not {{ as_of_alias }}.is_as_of_exclusive))
{%- endmacro %}
