{#-
    The instant from which an incremental run of an event model recomputes its rows: the
    latest `time_column` already in the model's table less `incremental_lookback_days` days
    (so late-arriving events inside that window are picked up), or `min_valid_timestamp`
    when the table is empty. Use only inside `{% if is_incremental() %}`.
-#}
{% macro incremental_watermark(time_column) -%}
    (
        select
            coalesce(
                {{ dbt.dateadd('day', -1 * var('incremental_lookback_days') | int, 'max(' ~ time_column ~ ')') }},
                {{ account_kpis.min_valid_timestamp() }}
            )
        from {{ this }}
    )
{%- endmacro %}
