{#-
    Exact decimal quotient of two integer expressions, rounded half away from zero to `scale`
    decimal places, typed decimal(38, scale). The denominator must be positive. Rule D1 keeps
    each subscription's MRR as an exact decimal after its single division and rounds cents
    half away from zero; engines disagree on how to get an exact quotient.
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
        sign({{ numerator }})
        * ((2 * abs(cast({{ numerator }} as hugeint)) * {{ 10 ** scale }} + {{ denominator }})
            // (2 * cast({{ denominator }} as hugeint))) as decimal(38, 0)
    ) * cast({{ '0.' ~ '0' * (scale - 1) ~ '1' if scale > 0 else '1' }} as decimal(38, {{ scale }}))
{%- endmacro %}


{#-
    `numerator / denominator` for decimal values with at most `input_scale` decimals (cents),
    rounded half away from zero to `scale` places, exactly; null when the denominator is 0.
    Used for percentages and per-account averages of money (rule D1 rounding).
-#}
{% macro divide_decimals(numerator, denominator, scale=2, input_scale=2) -%}
    {%- set factor = 10 ** input_scale -%}
    case
        when ({{ denominator }}) > 0 then {{ account_kpis.exact_divide(
            "cast(round((" ~ numerator ~ ") * " ~ factor ~ ", 0) as " ~ dbt.type_bigint() ~ ")",
            "cast(round((" ~ denominator ~ ") * " ~ factor ~ ", 0) as " ~ dbt.type_bigint() ~ ")",
            scale) }}
        when ({{ denominator }}) < 0 then -{{ account_kpis.exact_divide(
            "cast(round((" ~ numerator ~ ") * " ~ factor ~ ", 0) as " ~ dbt.type_bigint() ~ ")",
            "cast(round(-(" ~ denominator ~ ") * " ~ factor ~ ", 0) as " ~ dbt.type_bigint() ~ ")",
            scale) }}
    end
{%- endmacro %}
