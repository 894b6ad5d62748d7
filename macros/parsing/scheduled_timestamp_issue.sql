{#-
    Rule D0 for scheduled (forward-looking) timestamps, such as a trial end or the end of the
    current billing period. These legitimately lie weeks or a year after the build runs, so the
    upper bound of `quarantine_reason` (build start + 1 day) would wrongly quarantine every
    active subscription. Only a non-empty value that does not parse, or one before
    `min_valid_timestamp`, makes the row unusable. Empty values are allowed.

    Arguments (raw column names):
      columns  timestamp columns parsed with parse_timestamp
      output   'reason' (`unparseable_timestamp` / `timestamp_out_of_range`) or 'column'
               (the raw column that failed); null when every column passes.

    Combine with `quarantine_reason` as coalesce(quarantine_reason(...), scheduled_timestamp_issue(...)).
-#}
{% macro scheduled_timestamp_issue(columns, output='reason') -%}
    {{ return(adapter.dispatch('scheduled_timestamp_issue', 'account_kpis')(columns, output)) }}
{%- endmacro %}

{% macro default__scheduled_timestamp_issue(columns, output='reason') -%}
    {%- if columns | length == 0 -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
    case
        {%- for col in columns %}
        {%- set parsed = account_kpis.parse_timestamp(col) %}
        when {{ account_kpis.clean_text(col) }} is not null and ({{ parsed }}) is null
            then '{{ "unparseable_timestamp" if output == "reason" else col }}'
        when ({{ parsed }}) < {{ account_kpis.min_valid_timestamp() }}
            then '{{ "timestamp_out_of_range" if output == "reason" else col }}'
        {%- endfor %}
    end
    {%- endif -%}
{%- endmacro %}
