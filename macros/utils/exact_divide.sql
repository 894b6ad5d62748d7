{#-
    Exact decimal quotient of two integer expressions, rounded half away from zero (for a
    non-negative numerator and positive denominator) to `scale` decimal places, typed
    decimal(38, scale). Rule D1 keeps each subscription's MRR as an exact decimal after its
    single division; engines disagree on how to get one.
-#}
{% macro exact_divide(numerator, denominator, scale=10) -%}
    {{ return(adapter.dispatch('exact_divide', 'account_kpis')(numerator, denominator, scale)) }}
{%- endmacro %}

{% macro default__exact_divide(numerator, denominator, scale=10) -%}
    cast(cast({{ numerator }} as decimal(38, {{ scale }})) / {{ denominator }} as decimal(38, {{ scale }}))
{%- endmacro %}

{#- DuckDB turns decimal / integer into DOUBLE: divide whole numbers (HUGEINT) instead. -#}
{% macro duckdb__exact_divide(numerator, denominator, scale=10) -%}
    cast(
        (2 * cast({{ numerator }} as hugeint) * {{ 10 ** scale }} + {{ denominator }})
        // (2 * cast({{ denominator }} as hugeint)) as decimal(38, 0)
    ) * cast({{ '0.' ~ '0' * (scale - 1) ~ '1' }} as decimal(38, {{ scale }}))
{%- endmacro %}
