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
