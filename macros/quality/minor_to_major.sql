{#-
    Minor units (integer cents, or the currency's smallest unit) to an exact decimal amount
    in major units, by the currency's ISO 4217 exponent (rule D1). Uses multiplication only,
    so the result stays an exact decimal on every engine.
-#}
{% macro minor_to_major(minor_expression, exponent_expression) -%}
    cast({{ minor_expression }} as decimal(38, 6))
    * case {{ exponent_expression }} when 0 then 1 when 1 then 0.1 when 2 then 0.01 when 3 then 0.001 end
{%- endmacro %}

{#- Major units to integer minor units by the exponent; exact for amounts with at most that many decimals.
    Null instead of a failed statement when the result does not fit a bigint: such amounts are
    quarantined (quarantine_reason bounds them), but base models convert every raw row. -#}
{% macro major_to_minor(major_expression, exponent_expression) -%}
    {{ account_kpis.try_cast_as("round(" ~ major_expression
        ~ " * case " ~ exponent_expression ~ " when 0 then 1 when 1 then 10 when 2 then 100 when 3 then 1000 end, 0)",
        'bigint') }}
{%- endmacro %}

{#- USD to the cent (half away from zero) of an amount in minor units at a usd_per_unit rate (rule D1).
    Null instead of a failed statement when the result does not fit decimal(18, 2) (see major_to_minor). -#}
{% macro minor_to_usd(minor_expression, exponent_expression, rate_expression) -%}
    {{ account_kpis.try_cast_as("round(" ~ account_kpis.minor_to_major(minor_expression, exponent_expression)
        ~ " * " ~ rate_expression ~ ", 2)", 'decimal(18, 2)') }}
{%- endmacro %}
