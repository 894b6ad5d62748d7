{#-
    Source freshness (rule D0 bounds) as a `loaded_at_query`: the latest parseable load time of
    a raw text column of `this` source table, ignoring values more than a day after the run
    started (a 2099 garbage row must not make a stale export look fresh). Parsing goes through
    the dispatched `parse_timestamp`, so the same YAML works on every engine. Used as
        config: {loaded_at_query: "{{ account_kpis.freshness_loaded_at_query('created_at') }}"}
    dbt renders it when `dbt source freshness` runs (not at parse time), with `this` bound to
    the source table.
-#}
{% macro freshness_loaded_at_query(column) -%}
    select max(parsed.loaded_at) as max_loaded_at
    from (
        select {{ account_kpis.parse_timestamp(column) }} as loaded_at
        from {{ this }}
    ) as parsed
    where parsed.loaded_at <= {{ account_kpis.max_valid_timestamp() }}
{%- endmacro %}
