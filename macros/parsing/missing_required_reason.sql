{#-
    Rule D0 for required raw columns (no `?` in the landing contract): `quarantine_reason`
    lets an empty timestamp or amount through, which suits nullable columns only. A row whose
    primary key is present but whose required timestamp, amount or number is empty cannot be
    placed in time or counted, so it gets the same code as an unparseable value
    (`unparseable_timestamp`, `unparseable_amount`, `unparseable_number`). Null when every
    required column has a value, or when the primary key is missing (quarantine_reason
    reports that). Use as `coalesce(missing_required_reason(...), quarantine_reason(...))`.

    Arguments (raw column names):
      primary_key  the column that identifies the row
      timestamps   required timestamp columns
      amounts      required money columns
      integers     required integer columns
      output       'reason' (the reason code) or 'column' (the raw column that is empty)
-#}
{% macro missing_required_reason(primary_key, timestamps=[], amounts=[], integers=[], output='reason') -%}
    {{ return(adapter.dispatch('missing_required_reason', 'account_kpis')(primary_key, timestamps, amounts, integers, output)) }}
{%- endmacro %}

{% macro default__missing_required_reason(primary_key, timestamps=[], amounts=[], integers=[], output='reason') -%}
    {%- set checks = [] -%}
    {%- for col in timestamps -%}
        {%- do checks.append((col, 'unparseable_timestamp')) -%}
    {%- endfor -%}
    {%- for col in amounts -%}
        {%- do checks.append((col, 'unparseable_amount')) -%}
    {%- endfor -%}
    {%- for col in integers -%}
        {%- do checks.append((col, 'unparseable_number')) -%}
    {%- endfor -%}
    case
        when {{ account_kpis.clean_text(primary_key) }} is null then null
        {%- for col, reason in checks %}
        when {{ account_kpis.clean_text(col) }} is null then '{{ reason if output == "reason" else col }}'
        {%- endfor %}
    end
{%- endmacro %}
