{#-
    Cast that yields null instead of failing (dbt.safe_cast is a plain cast on DuckDB).
    `data_type` is a SQL type name such as 'bigint' or 'decimal(38, 6)'.
-#}
{% macro try_cast_as(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast_as', 'account_kpis')(expression, data_type)) }}
{%- endmacro %}

{% macro default__try_cast_as(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#-
    PostgreSQL has no try_cast. Callers (parse_integer, parse_decimal) only pass text that their
    regex already accepted as a number, so the one way a cast can still fail is overflow:
    integer types are range-checked and decimal(p, s) is checked against 10^(p - s) through
    an exact numeric first. Any other type is a plain cast (only for pre-validated text).
-#}
{% macro postgres__try_cast_as(expression, data_type) -%}
    {%- set normalized = data_type | lower | replace(' ', '') -%}
    {%- set int_bounds = {
        'smallint': ('-32768', '32767'), 'int2': ('-32768', '32767'),
        'integer': ('-2147483648', '2147483647'), 'int': ('-2147483648', '2147483647'),
        'int4': ('-2147483648', '2147483647'),
        'bigint': ('-9223372036854775808', '9223372036854775807'),
        'int8': ('-9223372036854775808', '9223372036854775807')} -%}
    {%- set decimal_match = modules.re.match('^(decimal|numeric)\\((\\d+),(\\d+)\\)$', normalized) -%}
    {%- if normalized in int_bounds -%}
    case
        when cast({{ expression }} as numeric) between {{ int_bounds[normalized][0] }} and {{ int_bounds[normalized][1] }}
            then cast({{ expression }} as {{ data_type }})
    end
    {%- elif decimal_match -%}
    {%- set int_digits = (decimal_match.group(2) | int) - (decimal_match.group(3) | int) -%}
    case
        when abs(round(cast({{ expression }} as numeric), {{ decimal_match.group(3) }})) < 1e{{ int_digits }}
            then cast({{ expression }} as {{ data_type }})
    end
    {%- else -%}
    cast({{ expression }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}

{% macro spark__try_cast_as(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
