{#-
    Parse a raw timestamp in any of the landing formats to a UTC `timestamp` (no time zone):

      - ISO-8601 with an offset or `Z` ('2025-03-01T10:00:00+02:00')  -> shifted to UTC
      - ISO-8601 without an offset, date-time or date only           -> taken as UTC
      - Unix epoch seconds (1 to 11 digits, as text or integer)       -> UTC
      - 'YYYYMMDDhhmmss' (14 digits, processor B)                     -> taken as UTC

    Anything else is null; staging turns a non-empty raw value that parses to null into a
    quarantine row (rule D0).
-#}
{% macro parse_timestamp(column) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'account_kpis')(column)) }}
{%- endmacro %}

{% macro default__parse_timestamp(column) -%}
    {%- set value = account_kpis.clean_text(column) -%}
    case
        when regexp_matches({{ value }}, '^[0-9]{14}$')
            then try_strptime({{ value }}, '%Y%m%d%H%M%S')
        when regexp_matches({{ value }}, '^[0-9]{1,11}$')
            then timezone('UTC', to_timestamp(try_cast({{ value }} as bigint)))
        when regexp_matches({{ value }}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9:.]+)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$')
            then timezone('UTC', try_cast({{ value }} as timestamptz))
        when regexp_matches({{ value }}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9:.]+)?$')
            then try_cast({{ value }} as timestamp)
    end
{%- endmacro %}

{#-
    PostgreSQL has no try_cast: a value of one of the landing shapes is cast only after its
    fields are checked (month 1-12, day within the month, hour 0-23 or 24:00:00, minute and
    second 0-59, offset within PostgreSQL's +-15:59), so a shape-conforming but impossible
    value ('2024-13-45T25:61:00') is null as on DuckDB instead of failing the statement. CASE
    evaluates its branches in order, so the casts only see checked text. Results do not
    depend on the session time zone.
-#}
{% macro postgres__parse_timestamp(column) -%}
    {%- set value = account_kpis.clean_text(column) -%}
    {%- set time_part = "([ T][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}([.][0-9]+)?)?)" -%}
    {%- set date_ok = account_kpis.postgres_date_fields_valid(
        "substr(" ~ value ~ ", 1, 4)", "substr(" ~ value ~ ", 6, 2)", "substr(" ~ value ~ ", 9, 2)") -%}
    {%- set time_ok = account_kpis.postgres_time_fields_valid(
        "substring(" ~ value ~ " from '^.{10}[ T]([0-9]{1,2}):')",
        "substring(" ~ value ~ " from '^.{10}[ T][0-9]{1,2}:([0-9]{1,2})')",
        "substring(" ~ value ~ " from '^.{10}[ T][0-9]{1,2}:[0-9]{1,2}:([0-9]{1,2})')",
        "substring(" ~ value ~ " from '^.{10}[ T][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}[.]([0-9]+)')") -%}
    case
        when {{ value }} ~ '^[0-9]{14}$'
            then case
                when {{ account_kpis.postgres_date_fields_valid(
                        "substr(" ~ value ~ ", 1, 4)", "substr(" ~ value ~ ", 5, 2)", "substr(" ~ value ~ ", 7, 2)") }}
                    and {{ account_kpis.postgres_time_fields_valid(
                        "substr(" ~ value ~ ", 9, 2)", "substr(" ~ value ~ ", 11, 2)", "substr(" ~ value ~ ", 13, 2)", "null") }}
                    then cast(
                        substr({{ value }}, 1, 4) || '-' || substr({{ value }}, 5, 2) || '-' || substr({{ value }}, 7, 2)
                        || ' ' || substr({{ value }}, 9, 2) || ':' || substr({{ value }}, 11, 2) || ':' || substr({{ value }}, 13, 2)
                        as timestamp)
            end
        when {{ value }} ~ '^[0-9]{1,11}$'
            then to_timestamp(cast({{ value }} as bigint)) at time zone 'UTC'
        when {{ value }} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}{{ time_part }}(Z|[+-][0-9]{2}(:?[0-9]{2})?)$'
            then case
                when {{ date_ok }} and {{ time_ok }}
                    and coalesce(cast(substring({{ value }} from '[+-]([0-9]{2}):?[0-9]{0,2}$') as integer), 0) <= 15
                    and coalesce(cast(substring({{ value }} from '[+-][0-9]{2}:?([0-9]{2})$') as integer), 0) <= 59
                    then cast({{ value }} as timestamptz) at time zone 'UTC'
            end
        when {{ value }} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}{{ time_part }}?$'
            then case
                when {{ date_ok }} and {{ time_ok }}
                    then cast({{ value }} as timestamp)
            end
    end
{%- endmacro %}

{#- True when year/month/day (digit text) form a real date (year 1-9999). No casts can fail. -#}
{% macro postgres_date_fields_valid(year, month, day) -%}
    {%- set y = "cast(" ~ year ~ " as integer)" -%}
    {%- set m = "cast(" ~ month ~ " as integer)" -%}
    {%- set d = "cast(" ~ day ~ " as integer)" -%}
    ({{ y }} >= 1 and {{ m }} between 1 and 12 and {{ d }} >= 1
        and {{ d }} <= case
            when {{ m }} in (4, 6, 9, 11) then 30
            when {{ m }} <> 2 then 31
            when {{ y }} % 4 = 0 and ({{ y }} % 100 <> 0 or {{ y }} % 400 = 0) then 29
            else 28
        end)
{%- endmacro %}

{#- True when hour/minute/second (digit text, null = absent) form a valid time; 24:00:00 allowed. -#}
{% macro postgres_time_fields_valid(hour, minute, second, fraction) -%}
    {%- set h = "coalesce(cast(" ~ hour ~ " as integer), 0)" -%}
    {%- set mi = "coalesce(cast(" ~ minute ~ " as integer), 0)" -%}
    {%- set s = "coalesce(cast(" ~ second ~ " as integer), 0)" -%}
    ({{ mi }} <= 59 and {{ s }} <= 59
        and ({{ h }} <= 23 or ({{ h }} = 24 and {{ mi }} = 0 and {{ s }} = 0
            and coalesce(cast({{ fraction }} as numeric), 0) = 0)))
{%- endmacro %}

{#-
    Spark (spark.sql.ansi.enabled=false, session time zone UTC, see profiles.yml): casts and
    to_timestamp yield null on impossible values. `timestamp` is Spark's session-zone
    timestamp, so with the session in UTC it holds the UTC wall time like the other engines.
-#}
{% macro spark__parse_timestamp(column) -%}
    {%- set value = account_kpis.clean_text(column) -%}
    case
        when {{ value }} rlike '^[0-9]{14}$'
            then to_timestamp({{ value }}, 'yyyyMMddHHmmss')
        when {{ value }} rlike '^[0-9]{1,11}$'
            then timestamp_seconds(cast({{ value }} as bigint))
        when {{ value }} rlike '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9:.]+)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$'
            then cast({{ value }} as timestamp)
        when {{ value }} rlike '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9:.]+)?$'
            then cast({{ value }} as timestamp)
    end
{%- endmacro %}
