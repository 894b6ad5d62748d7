{#-
    Rule D0: why a raw row cannot be used at all, or null when it can. The first failing
    check wins, in this order: the primary key is missing; a timestamp column is not
    parseable or lies outside [min_valid_timestamp, build start + 1 day]; an amount column
    does not parse; another numeric column does not parse.

    An amount "parses" only within the range the project's money arithmetic can carry: at most
    10^13 integer minor units in magnitude, or 10^11 decimal (major) units — a hundred billion
    dollars, far past any real payment. Larger values overflow the engine's decimal(18, x)
    arithmetic further down (DuckDB fails a decimal(18) product reaching 10^18, e.g. a
    $10^13 MRR times 100 for a percentage; past 10^16 the USD value itself does not fit
    decimal(18, 2)), so the row is quarantined as `unparseable_amount` instead of failing the
    build.

    Arguments (raw column names):
      primary_key  the column that identifies the row
      timestamps   columns parsed with parse_timestamp (empty values are allowed)
      amounts      money columns: integer minor units, or decimal text when decimal_amounts
      integers     other integer columns (counts, quantities)
      decimals     other decimal columns (percentages)
      output       'reason' (the reason code) or 'column' (the raw column that failed)
-#}
{% macro quarantine_reason(primary_key, timestamps=[], amounts=[], integers=[], decimal_amounts=false, decimals=[], output='reason') -%}
    {%- set checks = [] -%}
    {%- do checks.append((account_kpis.clean_text(primary_key) ~ ' is null', 'missing_primary_key', primary_key)) -%}
    {%- for col in timestamps -%}
        {%- set parsed = account_kpis.parse_timestamp(col) -%}
        {%- do checks.append((account_kpis.clean_text(col) ~ ' is not null and (' ~ parsed ~ ') is null', 'unparseable_timestamp', col)) -%}
        {%- set out_of_range = '(' ~ parsed ~ ') < ' ~ account_kpis.min_valid_timestamp()
            ~ ' or (' ~ parsed ~ ') > ' ~ account_kpis.max_valid_timestamp() -%}
        {%- do checks.append((out_of_range, 'timestamp_out_of_range', col)) -%}
    {%- endfor -%}
    {%- for col in amounts -%}
        {%- set parsed = account_kpis.parse_decimal(col) if decimal_amounts else account_kpis.parse_integer(col) -%}
        {%- set limit = '100000000000' if decimal_amounts else '10000000000000' -%}
        {%- do checks.append((account_kpis.clean_text(col) ~ ' is not null and (' ~ parsed ~ ') is null', 'unparseable_amount', col)) -%}
        {#- No abs(): abs() of the smallest bigint overflows. -#}
        {%- do checks.append(('(' ~ parsed ~ ') < -' ~ limit ~ ' or (' ~ parsed ~ ') > ' ~ limit, 'unparseable_amount', col)) -%}
    {%- endfor -%}
    {%- for col in integers -%}
        {%- do checks.append((account_kpis.clean_text(col) ~ ' is not null and (' ~ account_kpis.parse_integer(col) ~ ') is null', 'unparseable_number', col)) -%}
    {%- endfor -%}
    {%- for col in decimals -%}
        {%- do checks.append((account_kpis.clean_text(col) ~ ' is not null and (' ~ account_kpis.parse_decimal(col) ~ ') is null', 'unparseable_number', col)) -%}
    {%- endfor -%}
    case
        {%- for condition, reason, col in checks %}
        when {{ condition }} then '{{ reason if output == "reason" else col }}'
        {%- endfor %}
    end
{%- endmacro %}
